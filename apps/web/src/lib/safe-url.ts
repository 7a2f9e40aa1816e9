const PLACEHOLDER_ORIGIN = "http://callback.invalid";

/**
 * Only same-site paths may be used as a post-sign-in destination (no open redirects). The answer is re-serialised
 * by the URL parser, so it is plain ASCII with percent-escapes: a malformed or non-ASCII value such as
 * `/%E0%A4%A` can be put in a Location header instead of failing the response. With `origin` (the site's own),
 * absolute URLs on that origin are accepted too and returned as paths (next-auth's client sends those).
 */
export function safeCallbackUrl(value: unknown, origin?: string): string {
  if (typeof value !== "string" || value.length > 2000) return "/";
  let url: URL;
  try {
    url = new URL(value, PLACEHOLDER_ORIGIN);
  } catch {
    return "/";
  }
  const path = `${url.pathname}${url.search}${url.hash}`;
  // "//host" and "/\host" are protocol-relative URLs to another host; the parser resolves them away from ours.
  if (value.startsWith("/") && url.origin === PLACEHOLDER_ORIGIN) return path;
  if (origin && /^https?:\/\//i.test(value) && url.origin === safeOrigin(origin)) return path;
  return "/";
}

function safeOrigin(origin: string): string | undefined {
  try {
    return new URL(origin).origin;
  } catch {
    return undefined;
  }
}
