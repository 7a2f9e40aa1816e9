// The site's Content-Security-Policy: scripts only from this site, with the response's nonce (on every script tag
// Next.js emits), and from the YouTube IFrame API's host; frames only from YouTube's; no plugins, no <base> tricks,
// forms post only here (and to GitHub for OAuth sign-in). A script injected into a page (say, through user text the
// sanitizer missed) has no nonce and does not run. Images: this site and data: (notebook plots).
// Plain JavaScript so that the production server (server.mjs) loads it without a build step; the one definition.
import { randomBytes } from "node:crypto";

/** Where the IFrame API comes from unless YOUTUBE_IFRAME_API_URL says otherwise (as in components/lesson/youtube-api.ts). */
export const DEFAULT_YOUTUBE_API_URL = "https://www.youtube.com/iframe_api";

/** A fresh, unguessable nonce (base64 of 16 random bytes: always 24 characters). */
export function newNonce() {
  return randomBytes(16).toString("base64");
}

/** The origin of the IFrame API script (the given URL, else YouTube's), to allow in script-src. */
export function youtubeScriptOrigin(apiUrl = DEFAULT_YOUTUBE_API_URL) {
  try {
    const url = new URL(apiUrl);
    return url.protocol === "https:" || url.protocol === "http:" ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

/** The policy; server.mjs passes `dev` and `apiUrl` (YOUTUBE_IFRAME_API_URL) from the environment. */
export function contentSecurityPolicy({ nonce, dev = false, apiUrl }) {
  const youtube = youtubeScriptOrigin(apiUrl);
  const directives = {
    "default-src": ["'self'"],
    // Dev mode's fast refresh evaluates code; production never needs eval.
    "script-src": ["'self'", `'nonce-${nonce}'`, ...(youtube ? [youtube] : []), ...(dev ? ["'unsafe-eval'"] : [])],
    // React writes style attributes (ANSI colours, progress bars); inline styles cannot run script.
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'", ...(dev ? ["ws:"] : [])],
    "frame-src": ["https://www.youtube-nocookie.com", "https://www.youtube.com"],
    "media-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'", "https://github.com"],
    "frame-ancestors": ["'self'"],
  };
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(" ")}`)
    .join("; ");
}
