import type { PrismaClient } from "@course/db";
import type { PublicUser } from "../auth/users";
import { DomainError, notFound } from "../errors";
import { canReadSubmission } from "./submissions";
import { answering } from "../http/problem";

export type DownloadKind = "executed.ipynb" | "submission.csv" | "submitted.ipynb";

/**
 * GET /api/submissions/[id]/<kind>. Anonymous visitors get 401; anyone who may not read the submission gets the
 * same 404 as for a submission that does not exist, so ids of other students' work reveal nothing. Refusals are
 * thrown as DomainErrors and answered by `answering` (server/http/problem.ts).
 */
export async function handleSubmissionDownload(prisma: PrismaClient, user: PublicUser | null, id: string, kind: DownloadKind): Promise<Response> {
  return answering("downloads", async () => {
    if (!user) throw new DomainError("UNAUTHORIZED", "Sign in to download submissions.");
    const sub = await prisma.submission.findUnique({
      where: { id },
      select: { userId: true, fileName: true, notebook: true, job: { select: { executedNotebook: true, submissionCsv: true } } },
    });
    if (!sub || !canReadSubmission(user, sub)) throw notFound("No such submission.");
    const base = sub.fileName.replace(/\.ipynb$/i, "").replace(/[^A-Za-z0-9._-]+/g, "_") || "notebook";
    const body = kind === "executed.ipynb" ? sub.job.executedNotebook : kind === "submission.csv" ? sub.job.submissionCsv : sub.notebook;
    if (body === null) throw notFound(kind === "submission.csv" ? "This submission has no submission.csv (yet)." : "This submission has no executed notebook (yet).");
    const name = kind === "executed.ipynb" ? `${base}.executed.ipynb` : kind === "submission.csv" ? `${base}.submission.csv` : `${base}.ipynb`;
    return new Response(body, {
      headers: {
        "Content-Type": kind === "submission.csv" ? "text/csv; charset=utf-8" : "application/x-ipynb+json; charset=utf-8",
        "Content-Disposition": `attachment; filename="${name}"`,
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
      },
    });
  });
}
