import { refuseCrossSiteWrite } from "~/server/auth/same-origin";
import { getCurrentUser } from "~/server/auth/session";
import { getDb } from "~/server/db";
import { getAssignments } from "~/server/homework/assignments";
import { handleSubmissionUpload } from "~/server/homework/upload";

export const dynamic = "force-dynamic";

/** Upload a homework notebook: multipart/form-data with `file` and `assignment` (see handleSubmissionUpload). */
export async function POST(req: Request) {
  const refused = refuseCrossSiteWrite(req);
  if (refused) return refused;
  const [db, user, assignments] = await Promise.all([getDb(), getCurrentUser(), getAssignments()]);
  return handleSubmissionUpload(req, { prisma: db.prisma, user, assignments });
}
