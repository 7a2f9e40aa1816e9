import { DomainError } from "../errors";

/** The body grew past the cap while it was being read. */
export class BodyTooLargeError extends DomainError {
  constructor(readonly cap: number) {
    super("PAYLOAD_TOO_LARGE", `Request body over ${cap} bytes.`);
    this.name = "BodyTooLargeError";
  }
}

/**
 * Reads a request body, counting the bytes as they arrive and cancelling the stream as soon as it grows past `cap`.
 * Content-Length alone cannot be trusted: a chunked body declares none, and a client may lie.
 */
export async function readCapped(req: Request, cap: number): Promise<Uint8Array<ArrayBuffer>> {
  if (!req.body) return new Uint8Array(new ArrayBuffer(0));
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > cap) {
      await reader.cancel().catch(() => undefined);
      throw new BodyTooLargeError(cap);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(new ArrayBuffer(total));
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}
