import { readFile } from "node:fs/promises";
import { getAssignment } from "~/server/homework/assignments";

export const dynamic = "force-dynamic";

/** The assignment's template notebook (content/homework/<template>), as a download. Public, like the lesson. */
export async function GET(_req: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const assignment = await getAssignment(slug);
  if (!assignment) return Response.json({ error: `There is no assignment "${slug}".` }, { status: 404 });
  const text = await readFile(assignment.templateFile, "utf8").catch(() => null);
  if (text === null) return Response.json({ error: "The template notebook is not available yet." }, { status: 404 });
  const name = assignment.template.split("/").at(-1) ?? `${slug}.ipynb`;
  return new Response(text, {
    headers: {
      "Content-Type": "application/x-ipynb+json; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name.replace(/[^A-Za-z0-9._-]+/g, "_")}"`,
      "Cache-Control": "no-cache",
    },
  });
}
