import sharp from "sharp";
import type { InputTransform } from "./manifest";
import { pixelScaling, type Preprocessing } from "./registry";

/**
 * Decoding and resizing. Policy: every image is decoded, turned upright from its
 * EXIF orientation, converted to sRGB and *squashed* to the network's input size
 * (no cropping, aspect ratio not kept) with bilinear interpolation, as Keras'
 * `load_img(target_size=...)` does. Pixels are then scaled per backbone.
 */
export const RESIZE_POLICY = "squash-bilinear-v1";

export const IMAGE_EXTENSIONS = [".jpg", ".jpeg", ".png", ".webp", ".gif", ".tif", ".tiff", ".avif"];

/** Sniff the first bytes: is this one of the formats we decode? */
export function looksLikeImage(head: Uint8Array): boolean {
  const b = (i: number) => head[i] ?? -1;
  if (b(0) === 0xff && b(1) === 0xd8 && b(2) === 0xff) return true; // JPEG
  if (b(0) === 0x89 && b(1) === 0x50 && b(2) === 0x4e && b(3) === 0x47) return true; // PNG
  if (b(0) === 0x47 && b(1) === 0x49 && b(2) === 0x46) return true; // GIF
  if (b(0) === 0x52 && b(1) === 0x49 && b(2) === 0x46 && b(3) === 0x46 && b(8) === 0x57 && b(9) === 0x45) return true; // RIFF....WEBP
  if ((b(0) === 0x49 && b(1) === 0x49 && b(2) === 0x2a) || (b(0) === 0x4d && b(1) === 0x4d && b(3) === 0x2a)) return true; // TIFF
  if (b(4) === 0x66 && b(5) === 0x74 && b(6) === 0x79 && b(7) === 0x70) return true; // ISO-BMFF (AVIF/HEIF)
  return false;
}

/** RGB bytes, HWC, exactly width x height. */
export async function decodeResized(input: Buffer | string, width: number, height: number): Promise<Uint8Array> {
  const { data, info } = await sharp(input, { failOn: "error" })
    .rotate()
    .toColourspace("srgb")
    .resize(width, height, { fit: "fill", kernel: "linear" })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const ch = info.channels;
  if (ch === 3) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(width * height * 3);
  for (let i = 0, n = width * height; i < n; i++) {
    for (let c = 0; c < 3; c++) out[i * 3 + c] = data[i * ch + (ch >= 3 ? c : 0)]!;
  }
  return out;
}

/** Write HWC RGB bytes into `dst` (NCHW, at image `index`) with the backbone's scaling. */
export function toNchw(rgb: Uint8Array, width: number, height: number, p: Preprocessing, dst: Float32Array, index: number): void {
  const { scale, offset } = pixelScaling(p);
  const plane = width * height;
  const base = index * 3 * plane;
  for (let i = 0; i < plane; i++) {
    dst[base + i] = rgb[i * 3]! * scale + offset;
    dst[base + plane + i] = rgb[i * 3 + 1]! * scale + offset;
    dst[base + 2 * plane + i] = rgb[i * 3 + 2]! * scale + offset;
  }
}

/** Write HWC RGB bytes into `dst` at image `index` as the manifest says: NHWC or NCHW, RGB or BGR, scaled per channel. */
export function toTensor(rgb: Uint8Array, width: number, height: number, t: InputTransform, dst: Float32Array, index: number): void {
  const plane = width * height;
  const base = index * 3 * plane;
  const src = t.channels === "BGR" ? [2, 1, 0] : [0, 1, 2];
  const [s0, s1, s2] = t.scale;
  const [o0, o1, o2] = t.offset;
  const [c0, c1, c2] = src as [number, number, number];
  if (t.layout === "NCHW") {
    for (let i = 0; i < plane; i++) {
      dst[base + i] = rgb[i * 3 + c0]! * s0 + o0;
      dst[base + plane + i] = rgb[i * 3 + c1]! * s1 + o1;
      dst[base + 2 * plane + i] = rgb[i * 3 + c2]! * s2 + o2;
    }
  } else {
    for (let i = 0; i < plane; i++) {
      const d = base + i * 3;
      dst[d] = rgb[i * 3 + c0]! * s0 + o0;
      dst[d + 1] = rgb[i * 3 + c1]! * s1 + o1;
      dst[d + 2] = rgb[i * 3 + c2]! * s2 + o2;
    }
  }
}

/** A small JPEG thumbnail as a data: URI, for HTML reports. */
export async function thumbnailDataUri(file: string, size = 128): Promise<string> {
  const buf = await sharp(file).rotate().resize(size, size, { fit: "inside" }).jpeg({ quality: 70 }).toBuffer();
  return `data:image/jpeg;base64,${buf.toString("base64")}`;
}
