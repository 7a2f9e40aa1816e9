import { problem } from "~/server/http/problem";
import { getLessonNotebook, notebookPathFromSegments } from "~/server/notebooks";

export const dynamic = "force-dynamic";

/** A lesson notebook (content/notebooks/...) as a download. Public, like the lessons. */
export async function GET(_req: Request, { params }: { params: Promise<{ path: string[] }> }) {
  const relative = notebookPathFromSegments((await params).path);
  const found = relative ? await getLessonNotebook(relative) : null;
  if (!found) return problem(404, { error: "There is no such notebook." });
  return new Response(found.text, {
    headers: {
      "Content-Type": "application/x-ipynb+json; charset=utf-8",
      "Content-Disposition": `attachment; filename="${found.fileName.replace(/[^A-Za-z0-9._-]+/g, "_")}"`,
      "Cache-Control": "no-cache",
    },
  });
}
