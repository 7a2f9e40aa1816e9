import sharp from "sharp";

type Metadata = Awaited<ReturnType<ReturnType<typeof sharp>["metadata"]>>;

/**
 * Uploaded images, re-encoded: the bytes a reader's browser gets are sharp's, never the uploader's. Re-encoding drops
 * every metadata block (EXIF with GPS positions, XMP, ICC profiles other than sRGB's conversion, comments) and anything
 * appended to the file, and bounds the dimensions.
 *
 * Formats: PNG, JPEG, GIF and WebP, recognised by their content (sharp reads the magic bytes; the file name and the
 * declared type are ignored). Each stays in its format, so a diagram stays lossless and a photo stays a JPEG. An
 * animated GIF or WebP keeps its frames (sharp re-encodes every frame; the bound applies to each frame).
 */

export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
/** The longest side kept; larger images are scaled down to fit (never up). */
export const MAX_IMAGE_SIDE = 2048;
/** Refuse decompression bombs before decoding: a 5 MB PNG can claim 50,000 x 50,000 pixels. */
const MAX_INPUT_PIXELS = 100_000_000;
const MAX_FRAMES = 500;

export const IMAGE_TYPES = { png: "image/png", jpeg: "image/jpeg", gif: "image/gif", webp: "image/webp" } as const;
export type ImageFormat = keyof typeof IMAGE_TYPES;
export const EXTENSIONS: Record<ImageFormat, string> = { png: "png", jpeg: "jpg", gif: "gif", webp: "webp" };

export class ImageError extends Error {
  constructor(
    message: string,
    readonly code: "too-large" | "unsupported-type" | "corrupt",
  ) {
    super(message);
    this.name = "ImageError";
  }
}

export interface ProcessedImage {
  bytes: Buffer;
  format: ImageFormat;
  contentType: (typeof IMAGE_TYPES)[ImageFormat];
  width: number;
  height: number;
}

const isFormat = (f: string | undefined): f is ImageFormat => f !== undefined && f in IMAGE_TYPES;

/** Checks and re-encodes an uploaded image; throws ImageError (with a message for the uploader) when it is not one. */
export async function processImage(input: Uint8Array): Promise<ProcessedImage> {
  if (input.byteLength > MAX_IMAGE_BYTES) throw new ImageError(`The image is over ${MAX_IMAGE_BYTES / 1024 / 1024} MB; upload a smaller one.`, "too-large");
  if (input.byteLength === 0) throw new ImageError("The file is empty.", "corrupt");
  let meta: Metadata;
  try {
    meta = await sharp(input, { limitInputPixels: MAX_INPUT_PIXELS }).metadata();
  } catch {
    throw new ImageError("This file is not an image: upload a PNG, JPEG, GIF or WebP.", "unsupported-type");
  }
  if (!isFormat(meta.format)) {
    throw new ImageError(`This is a ${String(meta.format).toUpperCase()} file; upload a PNG, JPEG, GIF or WebP.`, "unsupported-type");
  }
  const format = meta.format;
  const animated = (format === "gif" || format === "webp") && (meta.pages ?? 1) > 1;
  if (animated && (meta.pages ?? 1) > MAX_FRAMES) throw new ImageError(`The animation has over ${MAX_FRAMES} frames.`, "too-large");
  try {
    // failOn "error": a truncated or damaged file is refused rather than stored half grey.
    let pipeline = sharp(input, { animated, limitInputPixels: MAX_INPUT_PIXELS, failOn: "error" })
      .rotate() // applies the EXIF orientation before the EXIF is dropped
      .resize({ width: MAX_IMAGE_SIDE, height: MAX_IMAGE_SIDE, fit: "inside", withoutEnlargement: true });
    if (format === "png") pipeline = pipeline.png({ compressionLevel: 9 });
    else if (format === "jpeg") pipeline = pipeline.jpeg({ quality: 85, mozjpeg: true });
    else if (format === "gif") pipeline = pipeline.gif();
    else pipeline = pipeline.webp({ quality: 85 });
    const { data, info } = await pipeline.toBuffer({ resolveWithObject: true });
    // For an animation sharp reports the height of all frames stacked; the page height is one frame's.
    const height = animated ? (info.pageHeight ?? info.height) : info.height;
    return { bytes: data, format, contentType: IMAGE_TYPES[format], width: info.width, height };
  } catch (error) {
    if (error instanceof ImageError) throw error;
    throw new ImageError(`The image could not be read (${(error as Error).message.split("\n")[0]}): it may be damaged or cut short.`, "corrupt");
  }
}
