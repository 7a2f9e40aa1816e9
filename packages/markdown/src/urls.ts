// URL checks for what survives sanitizing. Browsers strip ASCII tab/newline from URLs and treat a backslash like a
// slash, so `/\evil.example` and `/\t/evil.example` both leave the site: we normalise the same way before deciding.

const STRIPPED_BY_BROWSERS = /[\t\n\r]/g;
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** The URL as a browser reads it (tabs and newlines removed, leading spaces and C0 controls trimmed). */
export function normaliseUrl(url: string): string {
  // eslint-disable-next-line no-control-regex
  return url.replace(STRIPPED_BY_BROWSERS, "").replace(/^[\u0000-\u0020]+/, "");
}

/** A URL on this site: relative, or root-relative, but never protocol-relative (`//x`, `/\x`, `\\x`). */
export function isSameSiteUrl(url: string): boolean {
  const u = normaliseUrl(url);
  if (SCHEME.test(u)) return false;
  return !/^[/\\][/\\]/.test(u);
}

/** An absolute http(s) URL. */
export function isWebUrl(url: string): boolean {
  return /^https?:\/\//i.test(normaliseUrl(url));
}

const RASTER_DATA_URL = /^data:image\/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/=]+$/;

/** A base64 data URL of a raster image type (never SVG, which can carry script when opened on its own). */
export function isRasterDataUrl(url: string): boolean {
  return RASTER_DATA_URL.test(url);
}

/** A URL a resolver handed back is used only when it is same-site or http(s): callers are trusted, bugs are not. */
export function safeResolvedUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  return isSameSiteUrl(url) || isWebUrl(url) ? url : undefined;
}

/**
 * An image URL on this site: root-relative (`/files/a.png`). A path relative to the page means different things on
 * the forum, the wiki and a notebook, so those are not kept.
 */
export function isSiteImageUrl(url: string): boolean {
  const u = normaliseUrl(url);
  return /^\/(?![/\\])/.test(u);
}
