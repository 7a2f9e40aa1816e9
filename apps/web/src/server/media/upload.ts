import type { PrismaClient } from "@course/db";
import type { PublicUser } from "../auth/users";
import { BodyTooLargeError, readCapped } from "../http/read-capped";
import { ImageError, MAX_IMAGE_BYTES } from "./images";
import { readMedia, storeImage } from "./store";

/** Room for the multipart boundaries and the small fields around the file. */
const MULTIPART_OVERHEAD = 16 * 1024;

const problem = (status: number, error: string, code: string) => Response.json({ error, code }, { status, headers: { "Cache-Control": "no-store" } });
const tooLarge = () => problem(413, `The image is over ${MAX_IMAGE_BYTES / 1024 / 1024} MB; upload a smaller one.`, "too-large");

/**
 * `POST /api/media`: multipart/form-data with `file` (the image), optional `name` (default: the file's own name) and
 * `page` (the wiki page it is uploaded from). Signed-in users only. 201 with the stored file (its URL and the
 * markdown that shows it); 200 when the same bytes were already stored under that name; 4xx with `{ error, code }`
 * and nothing stored for anything else.
 */
export async function handleMediaUpload(req: Request, deps: { prisma: PrismaClient; user: PublicUser | null }): Promise<Response> {
  if (!deps.user) return problem(401, "Sign in to upload images.", "unauthenticated");
  const contentType = req.headers.get("content-type") ?? "";
  if (!contentType.toLowerCase().startsWith("multipart/form-data")) return problem(400, "Send the image as multipart/form-data with a `file` field.", "bad-request");
  const cap = MAX_IMAGE_BYTES + MULTIPART_OVERHEAD;
  const declared = Number(req.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > cap) {
    await req.body?.cancel().catch(() => undefined);
    return tooLarge();
  }
  let form: FormData;
  try {
    form = await new Response(await readCapped(req, cap), { headers: { "content-type": contentType } }).formData();
  } catch (error) {
    if (error instanceof BodyTooLargeError) return tooLarge();
    return problem(400, "The upload could not be read as multipart/form-data.", "bad-request");
  }
  const file = form.get("file");
  if (!(file instanceof Blob)) return problem(400, "Attach the image in a `file` field.", "bad-request");
  if (file.size > MAX_IMAGE_BYTES) return tooLarge();
  const name = form.get("name");
  const page = form.get("page");
  const wantedName = (typeof name === "string" && name.trim()) || (file instanceof File ? file.name : "") || "Image";
  try {
    const stored = await storeImage(deps.prisma, {
      bytes: new Uint8Array(await file.arrayBuffer()),
      wantedName,
      pageKey: typeof page === "string" ? page.trim().replace(/ /g, "_").slice(0, 255) : "",
      uploaderId: deps.user.id,
    });
    return Response.json(stored, { status: stored.existing ? 200 : 201, headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    if (error instanceof ImageError) return problem(error.code === "too-large" ? 413 : error.code === "unsupported-type" ? 415 : 400, error.message, error.code);
    throw error;
  }
}

const SHA256 = /^[0-9a-f]{64}$/;

/** `GET /media/<sha256>/<name>`: the stored bytes, cached for good (the URL names its content), never sniffed. */
export async function serveMedia(prisma: PrismaClient, sha256: string, rawName: string): Promise<Response> {
  let name = rawName;
  try {
    name = decodeURIComponent(rawName);
  } catch {
    // kept as sent: it then names no file
  }
  const blob = SHA256.test(sha256) ? await readMedia(prisma, sha256, name) : null;
  if (!blob) return new Response("No such file.", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store" } });
  return new Response(new Uint8Array(blob.bytes), {
    headers: {
      "Content-Type": blob.contentType,
      "Content-Length": String(blob.bytes.byteLength),
      "Cache-Control": "public, max-age=31536000, immutable",
      "X-Content-Type-Options": "nosniff",
      "Content-Disposition": `inline; filename*=UTF-8''${encodeURIComponent(name)}`,
      // Opened on its own, an image gets no script and no plugin, whatever its bytes.
      "Content-Security-Policy": "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
    },
  });
}
