import type { Assignment } from "@course/content";
import type { PrismaClient } from "@course/db";
import { hasRole } from "../auth/roles";
import type { PublicUser } from "../auth/users";
import { toCsv } from "./csv";
import { rubricTotal, storedScores } from "./rubric";
import { badRequest, DomainError, notFound } from "../errors";
import { answering } from "../http/problem";

export type ExportMode = "all" | "latest";

/**
 * The grades of one assignment as CSV. Mode "all": one row per submission, oldest first. Mode "latest": one row per
 * student, their most recent submission whose review was returned (students without one are left out).
 * Columns: student_email, student_name, submission_id, submitted_at, public/private log loss and accuracy, one column
 * per rubric criterion (its id), total, max_total, review_status (none|draft|returned), returned_at.
 */
export async function gradesCsv(prisma: PrismaClient, assignment: Assignment, mode: ExportMode): Promise<string> {
  const subs = await prisma.submission.findMany({
    where: { assignmentSlug: assignment.slug, ...(mode === "latest" ? { review: { is: { status: "returned" } } } : {}) },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: {
      id: true,
      userId: true,
      createdAt: true,
      publicLogLoss: true,
      publicAccuracy: true,
      privateLogLoss: true,
      privateAccuracy: true,
      user: { select: { email: true, name: true } },
      review: { select: { status: true, scores: true, returnedAt: true } },
    },
  });
  const chosen = mode === "latest" ? [...new Map(subs.map((s) => [s.userId, s])).values()] : subs;
  const header = [
    "student_email",
    "student_name",
    "submission_id",
    "submitted_at",
    "public_log_loss",
    "public_accuracy",
    "private_log_loss",
    "private_accuracy",
    ...assignment.rubric.map((c) => c.id),
    "total",
    "max_total",
    "review_status",
    "returned_at",
  ];
  const rows = chosen.map((s) => {
    const scores = storedScores(s.review?.scores ?? {});
    const { total, max } = rubricTotal(assignment.rubric, scores);
    const reviewed = s.review !== null;
    return [
      s.user.email,
      s.user.name ?? "",
      s.id,
      s.createdAt.toISOString(),
      s.publicLogLoss,
      s.publicAccuracy,
      s.privateLogLoss,
      s.privateAccuracy,
      ...assignment.rubric.map((c) => scores[c.id] ?? null),
      reviewed ? total : null,
      max,
      s.review?.status ?? "none",
      s.review?.returnedAt?.toISOString() ?? null,
    ];
  });
  return toCsv(header, rows);
}

/**
 * GET /api/grading/export?assignment=<slug>[&mode=latest]: graders and admins only (401 anonymous, 403 others,
 * 400 without an assignment, 404 for an unknown one).
 */
export async function handleGradesExport(prisma: PrismaClient, user: PublicUser | null, url: URL, assignments: readonly Assignment[]): Promise<Response> {
  return answering("grades-export", async () => {
    if (!user) throw new DomainError("UNAUTHORIZED", "Sign in to export grades.");
    if (!hasRole(user.role, "grader")) throw new DomainError("FORBIDDEN", "Exporting grades needs the grader role.");
    const slug = url.searchParams.get("assignment");
    if (!slug) throw badRequest("Say which assignment: ?assignment=<slug>.");
    const assignment = assignments.find((a) => a.slug === slug);
    if (!assignment) throw notFound(`There is no assignment "${slug}".`);
    const modeParam = url.searchParams.get("mode") ?? "all";
    if (modeParam !== "all" && modeParam !== "latest") throw badRequest('mode is "all" (default) or "latest".');
    const csv = await gradesCsv(prisma, assignment, modeParam);
    return new Response(csv, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="grades-${assignment.slug}${modeParam === "latest" ? "-latest" : ""}.csv"`,
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
      },
    });
  });
}
