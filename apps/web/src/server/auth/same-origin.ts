import { serverEnv } from "~/env";

/**
 * Cross-site request forgery: a page on another site can make a signed-in visitor's browser POST to us with their
 * cookies. Browsers say where a request comes from (Origin, Sec-Fetch-Site), so state-changing requests from
 * anywhere but our own pages are refused. Requests with neither header come from programs, not browsers (curl,
 * scripts), which carry no one's cookies but their own, and pass. next-auth's routes have their own CSRF tokens and
 * runner routes authenticate with bearer tokens, so neither uses this.
 */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** A 403 answer for a cross-site state change, or undefined when the request may proceed. */
export function refuseCrossSiteWrite(req: Request, siteUrl: string | undefined = serverEnv().NEXTAUTH_URL): Response | undefined {
  if (SAFE_METHODS.has(req.method.toUpperCase())) return undefined;
  const origin = req.headers.get("origin");
  const fetchSite = req.headers.get("sec-fetch-site");
  if (origin !== null) {
    if (isOwnOrigin(origin, req, siteUrl)) return undefined;
    return refusal(`this site only accepts changes from its own pages, and this request came from ${origin}.`);
  }
  if (fetchSite === "cross-site" || fetchSite === "same-site") {
    return refusal(`this site only accepts changes from its own pages, and the browser says this request is ${fetchSite}.`);
  }
  return undefined;
}

function isOwnOrigin(origin: string, req: Request, siteUrl: string | undefined): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // "null" (sandboxed frames, file://) and anything unparsable
  }
  if (siteUrl && originOf(siteUrl) === url.origin) return true;
  // The Host the browser connected to (behind a TLS proxy the scheme may differ, the host does not); a browser
  // cannot set Host, so another site's page cannot make these two agree.
  const host = req.headers.get("host");
  return host !== null && host.toLowerCase() === url.host;
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

function refusal(reason: string): Response {
  return Response.json({ error: `Cross-site request refused: ${reason}` }, { status: 403 });
}
