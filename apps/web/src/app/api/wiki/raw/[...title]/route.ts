import { getCurrentUser } from "~/server/auth/session";
import { getDb } from "~/server/db";
import { WikiError } from "~/server/wiki/errors";
import { rawText } from "~/server/wiki/read";
import { titleFromSegments } from "~/server/wiki/titles";

export const dynamic = "force-dynamic";

/** A page's markdown as text (`?action=raw`; `?oldid=N` for a revision): public, like the page. */
export async function GET(request: Request, { params }: { params: Promise<{ title: string[] }> }) {
  const title = titleFromSegments((await params).title);
  const oldid = new URL(request.url).searchParams.get("oldid");
  const revision = oldid && /^\d{1,9}$/.test(oldid) ? Number(oldid) : undefined;
  const user = await getCurrentUser();
  try {
    const text = await rawText((await getDb()).prisma, title, { id: user?.id ?? null, role: user?.role ?? null }, revision);
    return new Response(text, { headers: { "content-type": "text/markdown; charset=utf-8", "x-content-type-options": "nosniff" } });
  } catch (error) {
    if (error instanceof WikiError) return new Response(error.message, { status: error.code === "NOT_FOUND" ? 404 : 400, headers: { "content-type": "text/plain; charset=utf-8" } });
    throw error;
  }
}
