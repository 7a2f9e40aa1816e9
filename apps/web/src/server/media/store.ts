import { createHash } from "node:crypto";
import type { Prisma, PrismaClient } from "@course/db";
import { EXTENSIONS, processImage, type ImageFormat } from "./images";
import { pagesChanged, wikiViewTag, writeTransaction } from "../page-cache";

type Db = PrismaClient | Prisma.TransactionClient;

/** Where a stored file is served: content-addressed, so the URL never changes meaning and caches may keep it forever. */
export function mediaUrl(sha256: string, name: string): string {
  return `/media/${sha256}/${encodeURIComponent(name)}`;
}

/** `/media/<sha256>/<name>` (as written in markdown) -> the file's name, or null for any other URL. */
export function mediaNameOf(url: string): string | null {
  const m = /^\/media\/[0-9a-f]{64}\/([^/?#]+)$/.exec(url.trim());
  if (!m) return null;
  try {
    return decodeURIComponent(m[1]!);
  } catch {
    return null;
  }
}

const MAX_NAME = 120;

/**
 * A file name as the wiki writes it: spaces as underscores, only letters, digits and `_-.()`, first letter upper case,
 * and the extension of what the bytes really are (a JPEG sent as `cat.png` is `Cat.jpg`).
 */
export function fileName(wanted: string, format: ImageFormat): string {
  const base = wanted
    .replace(/\.[a-z0-9]{1,5}$/i, "")
    .normalize("NFC")
    .replace(/[^\p{L}\p{N}_\-.() ]+/gu, " ")
    .trim()
    .replace(/[\s_]+/g, "_")
    .replace(/^[._-]+/, "")
    .slice(0, MAX_NAME);
  const named = base || "Image";
  return `${named.charAt(0).toUpperCase()}${named.slice(1)}.${EXTENSIONS[format]}`;
}

export interface StoredFile {
  name: string;
  url: string;
  /** the markdown that shows it: `![Cat.png](/media/.../Cat.png)` */
  markdown: string;
  /** its page: `/wiki/File:Cat.png` */
  filePage: string;
  contentType: string;
  width: number;
  height: number;
  byteSize: number;
  /** the same bytes were already stored under this name (nothing new was written) */
  existing: boolean;
}

const stored = (f: { name: string; sha256: string; blob: { contentType: string; width: number; height: number; byteSize: number } }, existing: boolean): StoredFile => ({
  name: f.name,
  url: mediaUrl(f.sha256, f.name),
  markdown: `![${f.name}](${mediaUrl(f.sha256, f.name)})`,
  filePage: `/wiki/File:${encodeURIComponent(f.name)}`,
  contentType: f.blob.contentType,
  width: f.blob.width,
  height: f.blob.height,
  byteSize: f.blob.byteSize,
  existing,
});

const blobMeta = { select: { contentType: true, width: true, height: true, byteSize: true } } as const;

/**
 * Checks, re-encodes and stores an uploaded image (throws ImageError, with nothing stored, when it is not one).
 * The same bytes are stored once; a name already taken by other bytes gets a number (`Cat_2.png`): a name never
 * changes what it shows.
 */
export async function storeImage(
  prisma: PrismaClient,
  input: { bytes: Uint8Array; wantedName: string; pageKey?: string; uploaderId: string | null },
): Promise<StoredFile> {
  const image = await processImage(input.bytes);
  const sha256 = createHash("sha256").update(image.bytes).digest("hex");
  const base = fileName(input.wantedName, image.format);
  const dot = base.lastIndexOf(".");
  return writeTransaction(prisma, async (tx) => {
    await tx.mediaBlob.createMany({
      data: [{ sha256, contentType: image.contentType, width: image.width, height: image.height, byteSize: image.bytes.byteLength, bytes: new Uint8Array(image.bytes) }],
      skipDuplicates: true,
    });
    for (let n = 1; n < 1000; n++) {
      const name = n === 1 ? base : `${base.slice(0, dot)}_${n}${base.slice(dot)}`;
      const taken = await tx.mediaFile.findUnique({ where: { name }, select: { name: true, sha256: true, blob: blobMeta } });
      if (taken?.sha256 === sha256) return stored(taken, true);
      if (taken) continue;
      const created = await tx.mediaFile.createManyAndReturn({
        data: [{ name, sha256, originalName: input.wantedName.slice(0, 255), pageKey: input.pageKey ?? "", uploaderId: input.uploaderId }],
        skipDuplicates: true,
        select: { name: true, sha256: true },
      });
      if (created.length === 0) continue; // taken by an upload at the same moment
      // The wiki's File: page of this name now shows it.
      await pagesChanged(tx, [wikiViewTag(`File:${name}`)]);
      return stored({ ...created[0]!, blob: { contentType: image.contentType, width: image.width, height: image.height, byteSize: image.bytes.byteLength } }, false);
    }
    throw new Error(`No free name for ${base}`);
  });
}

/** The bytes at `/media/<sha256>/<name>`, or null when no file of that name has those bytes. */
export async function readMedia(db: Db, sha256: string, name: string) {
  const file = await db.mediaFile.findUnique({ where: { name }, select: { sha256: true, blob: { select: { contentType: true, bytes: true } } } });
  return file && file.sha256 === sha256 ? file.blob : null;
}

/** An uploaded file as its page shows it. */
export type FileInfo = NonNullable<Awaited<ReturnType<typeof fileInfo>>>;

/**
 * A file's page: what it is, who uploaded it, and where it is used (the wiki pages whose current text shows it,
 * recorded as links to `File:<name>` on every save); null when no file has that name.
 */
export async function fileInfo(db: Db, name: string) {
  const file = await db.mediaFile.findUnique({
    where: { name },
    select: { name: true, sha256: true, originalName: true, pageKey: true, createdAt: true, uploader: { select: { name: true } }, blob: blobMeta },
  });
  if (!file) return null;
  const usedOn = await db.wikiLink.findMany({
    where: { targetKey: `File:${file.name}`, page: { deletedAt: null } },
    select: { page: { select: { key: true, title: true } } },
    orderBy: { page: { title: "asc" } },
  });
  return { ...stored(file, true), originalName: file.originalName, pageKey: file.pageKey, createdAt: file.createdAt, uploader: file.uploader?.name ?? null, usedOn: usedOn.map((l) => l.page) };
}
