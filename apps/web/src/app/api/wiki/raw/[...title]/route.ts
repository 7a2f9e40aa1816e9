import { getCurrentUser } from "~/server/auth/session";
import { getDb } from "~/server/db";
import { answering } from "~/server/http/problem";
import { rawText } from "~/server/wiki/read";
import { titleFromSegments } from "~/server/wiki/titles";

export const dynamic = "force-dynamic";

/** A page's markdown as text (`?action=raw`; `?oldid=N` for a revision): public, like the page. */
export async function GET(request: Request, { params }: { params: Promise<{ title: string[] }> }) {
  const title = titleFromSegments((await params).title);
  const oldid = new URL(request.url).searchParams.get("oldid");
  const revision = oldid && /^\d{1,9}$/.test(oldid) ? Number(oldid) : undefined;
  const user = await getCurrentUser();
  return answering("wiki raw", async () => {
    const text = await rawText((await getDb()).prisma, title, { id: user?.id ?? null, role: user?.role ?? null }, revision);
    return new Response(text, { headers: { "content-type": "text/markdown; charset=utf-8", "x-content-type-options": "nosniff" } });
  });
}
