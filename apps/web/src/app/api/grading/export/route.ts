import { getCurrentUser } from "~/server/auth/session";
import { getDb } from "~/server/db";
import { handleGradesExport } from "~/server/grading/export";
import { getAssignments } from "~/server/homework/assignments";

export const dynamic = "force-dynamic";

/** Grades as CSV for graders and admins: ?assignment=<slug>[&mode=latest] (see handleGradesExport). */
export async function GET(req: Request) {
  const [db, user] = await Promise.all([getDb(), getCurrentUser()]);
  if (!user) return handleGradesExport(db.prisma, null, new URL(req.url), []);
  return handleGradesExport(db.prisma, user, new URL(req.url), await getAssignments());
}
