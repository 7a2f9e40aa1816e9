import { constants } from "node:fs";
import { open } from "node:fs/promises";

export class UntrustedFileError extends Error {
  override name = "UntrustedFileError";
  constructor(
    message: string,
    readonly code: "missing" | "not a regular file" | "too large",
  ) {
    super(message);
  }
}

/**
 * Reads a file that sandboxed code may have created. The runner reads it outside the sandbox with more
 * rights, so a symlink (e.g. submission.csv -> /etc/shadow) must not be followed: O_NOFOLLOW, regular
 * files only, and at most maxBytes.
 */
export async function readUntrustedFile(file: string, maxBytes: number): Promise<Buffer> {
  let handle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new UntrustedFileError(`${file}: not found`, "missing");
    if (code === "ELOOP") throw new UntrustedFileError(`${file}: is a symbolic link; refusing to follow it`, "not a regular file");
    throw e;
  }
  try {
    const s = await handle.stat();
    if (!s.isFile()) throw new UntrustedFileError(`${file}: not a regular file`, "not a regular file");
    if (s.size > maxBytes) throw new UntrustedFileError(`${file}: ${s.size} bytes; the limit is ${maxBytes} bytes`, "too large");
    const buf = Buffer.alloc(s.size);
    const { bytesRead } = await handle.read(buf, 0, s.size, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
