import { getCurrentUser } from "~/server/auth/session";
import { getDb } from "~/server/db";
import { handleSubmissionDownload } from "~/server/homework/downloads";

export const dynamic = "force-dynamic";

export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const [{ id }, db, user] = await Promise.all([params, getDb(), getCurrentUser()]);
  return handleSubmissionDownload(db.prisma, user, id, "submitted.ipynb");
}
