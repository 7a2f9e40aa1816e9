import { refuseCrossSiteWrite } from "~/server/auth/same-origin";
import { getCurrentUser } from "~/server/auth/session";
import { getDb } from "~/server/db";
import { handleMediaUpload } from "~/server/media/upload";

export const dynamic = "force-dynamic";

/** Upload an image (wiki pages; later forum posts): multipart/form-data with `file`, see handleMediaUpload. */
export async function POST(req: Request) {
  const refused = refuseCrossSiteWrite(req);
  if (refused) return refused;
  const [db, user] = await Promise.all([getDb(), getCurrentUser()]);
  return handleMediaUpload(req, { prisma: db.prisma, user });
}
