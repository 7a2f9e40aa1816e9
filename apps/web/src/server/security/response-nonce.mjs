// A fresh CSP nonce on every response, cached pages included (wired in by server.mjs).
// Next.js puts the nonce it finds in the request's Content-Security-Policy header on every script it emits, and the
// page cache (cache-handler.mjs) keeps that HTML for every later visitor. So Next always gets the same nonce, a
// secret placeholder chosen at process start that no client ever sees, and each response has the placeholder
// replaced with its own fresh nonce on the way out, in the body (streamed, across chunk boundaries) and in the
// Content-Security-Policy response header. Same length (24 characters), so Content-Length stays right.
// Plain JavaScript: server.mjs loads it without a build step.
import { contentSecurityPolicy, newNonce } from "./csp.mjs";

/** The secret stand-in nonce for this process (a real-looking one: Next ignores malformed nonces). */
export function newPlaceholder() {
  return newNonce();
}

/** The longest tail of `buf` that is the start of `needle` (bytes that may be the first part of a split needle). */
function partialTail(buf, needle) {
  for (let n = Math.min(needle.length - 1, buf.length); n > 0; n--) {
    if (buf.subarray(buf.length - n).equals(needle.subarray(0, n))) return n;
  }
  return 0;
}

function replaceAll(buf, from, to) {
  let at = buf.indexOf(from);
  if (at === -1) return buf;
  const out = Buffer.from(buf); // same length: replace in a copy, never in the caller's buffer
  while (at !== -1) {
    to.copy(out, at);
    at = out.indexOf(from, at + from.length);
  }
  return out;
}

/**
 * A rewriter for one response body: `push` returns what can be sent now (the placeholder replaced; a tail that may be
 * the start of a placeholder split across chunks is held back), `finish` the rest.
 */
export function nonceRewriter(placeholder, nonce) {
  const from = Buffer.from(placeholder);
  const to = Buffer.from(nonce);
  if (from.length !== to.length) throw new Error("The placeholder and the nonce must have the same length.");
  let held = Buffer.alloc(0);
  return {
    push(chunk) {
      const joined = replaceAll(held.length ? Buffer.concat([held, chunk]) : chunk, from, to);
      const keep = partialTail(joined, from);
      held = Buffer.from(joined.subarray(joined.length - keep));
      return joined.subarray(0, joined.length - keep);
    },
    finish() {
      const rest = held;
      held = Buffer.alloc(0);
      return rest;
    },
  };
}

/** A body chunk as Node's `res.write`/`res.end` take it (string, Buffer, typed array, or a callback in its place) as bytes. */
export const toBuffer = (chunk, encoding) =>
  chunk === undefined || chunk === null || typeof chunk === "function"
    ? Buffer.alloc(0)
    : Buffer.isBuffer(chunk)
      ? chunk
      : typeof chunk === "string"
        ? Buffer.from(chunk, typeof encoding === "string" ? encoding : "utf8")
        : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);

/**
 * Sets the request's CSP header to the placeholder's policy (what Next reads its nonce from; a client's own copy is
 * dropped) and rewrites the response: body and header values get a fresh nonce in place of the placeholder, and an
 * HTML response gets the policy with that nonce. Call before Next sees the request.
 */
export function applyResponseNonce(req, res, { placeholder, policy = (nonce) => contentSecurityPolicy({ nonce }) }) {
  delete req.headers["content-security-policy-report-only"];
  req.headers["content-security-policy"] = policy(placeholder);
  const nonce = newNonce();
  const rewriter = nonceRewriter(placeholder, nonce);
  const write = res.write;
  const end = res.end;
  const writeHead = res.writeHead;
  let committed = false;

  // Runs once, just before the headers go out.
  const commit = () => {
    if (committed) return;
    committed = true;
    for (const name of res.getHeaderNames()) {
      const value = res.getHeader(name);
      if (typeof value === "string" && value.includes(placeholder)) res.setHeader(name, value.replaceAll(placeholder, nonce));
      else if (Array.isArray(value) && value.some((v) => v.includes(placeholder))) res.setHeader(name, value.map((v) => v.replaceAll(placeholder, nonce)));
    }
    if (!/^\s*text\/html\b/i.test(String(res.getHeader("content-type") ?? ""))) return;
    res.setHeader("Content-Security-Policy", policy(nonce));
    // The same HTML with another nonce each time: an ETag would let a browser revalidate its old copy (old nonce)
    // against a response header with a new one. And a shared cache (CDN) would hand one nonce to every visitor.
    res.removeHeader("ETag");
    const cacheControl = String(res.getHeader("cache-control") ?? "");
    if (!/no-store/i.test(cacheControl)) res.setHeader("Cache-Control", "private, no-cache");
  };

  res.writeHead = function (statusCode, ...rest) {
    const headers = rest.length && typeof rest[rest.length - 1] === "object" && !Array.isArray(rest[rest.length - 1]) ? rest.pop() : undefined;
    if (headers) for (const [name, value] of Object.entries(headers)) if (value !== undefined) res.setHeader(name, value);
    commit();
    return writeHead.call(this, statusCode, ...rest);
  };
  const flushHeaders = res.flushHeaders;
  res.flushHeaders = function () {
    commit();
    return flushHeaders.call(this);
  };
  res.write = function (chunk, encoding, callback) {
    commit();
    if (typeof encoding === "function") [callback, encoding] = [encoding, undefined];
    return write.call(this, rewriter.push(toBuffer(chunk, encoding)), callback);
  };
  res.end = function (chunk, encoding, callback) {
    commit();
    if (typeof chunk === "function") [callback, chunk] = [chunk, undefined];
    if (typeof encoding === "function") [callback, encoding] = [encoding, undefined];
    const body = rewriter.push(toBuffer(chunk, encoding));
    const rest = rewriter.finish();
    return end.call(this, rest.length ? Buffer.concat([body, rest]) : body, callback);
  };
  return nonce;
}
