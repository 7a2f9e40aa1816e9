import { notFound, redirect } from "next/navigation";
import { sitePath } from "~/lib/routes";
import { getDb } from "~/server/db";
import { askQuery, parseAskMoment } from "~/server/forum/ask";
import { lessonThreadUrl } from "~/server/forum/lesson-threads";

export const dynamic = "force-dynamic";

/** A lesson's thread by its front matter name (`forum_thread`): the address lessonLinks() and the wiki starter use. */
export default async function LessonThread({ params, searchParams }: { params: Promise<{ thread: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { thread } = await params;
  if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(thread)) notFound();
  const url = await lessonThreadUrl((await getDb()).prisma, thread);
  if (!url) notFound();
  // An "Ask about this moment" link keeps its (validated) moment through the redirect.
  const ask = parseAskMoment(await searchParams);
  redirect(sitePath(ask ? `${url}?${askQuery(ask)}` : url));
}
