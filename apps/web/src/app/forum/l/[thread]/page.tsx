import { notFound, redirect } from "next/navigation";
import { sitePath } from "~/lib/routes";
import { getDb } from "~/server/db";
import { lessonThreadUrl } from "~/server/forum/lesson-threads";

export const dynamic = "force-dynamic";

/** A lesson's thread by its front matter name (`forum_thread`): the address lessonLinks() and the wiki starter use. */
export default async function LessonThread({ params }: { params: Promise<{ thread: string }> }) {
  const { thread } = await params;
  if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(thread)) notFound();
  const url = await lessonThreadUrl((await getDb()).prisma, thread);
  if (!url) notFound();
  redirect(sitePath(url));
}
