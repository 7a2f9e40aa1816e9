import { getDb } from "~/server/db";
import { serveMedia } from "~/server/media/upload";

export const dynamic = "force-dynamic";

/** An uploaded image, public like the pages that show it. */
export async function GET(_req: Request, { params }: { params: Promise<{ sha256: string; name: string }> }) {
  const { sha256, name } = await params;
  return serveMedia((await getDb()).prisma, sha256, name);
}
