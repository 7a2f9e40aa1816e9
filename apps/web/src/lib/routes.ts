import type { UrlObject } from "url";
import type { Route } from "next";

/**
 * Hrefs Next's typed routes can check (next.config `typedRoutes`): paths written in code keep their template literal
 * type (`/lessons/${slug}` is checked against the pages as it is), these helpers cover the two other cases, so no
 * href is ever cast to `Route`.
 */

/** A page with a query string, `/grading?page=2`; the page alone when no parameter is set. */
export function withQuery<P extends string>(path: P, params: Record<string, string | number | null | undefined>): P | `${P}?${string}` {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== null && value !== undefined && value !== "") query.set(key, String(value));
  const q = query.toString();
  return q ? `${path}?${q}` : path;
}

/**
 * A path this site stored as data (a notification's link, a search hit's URL), as a URL object: typed routes can only
 * check paths written in code. Only its path, query and fragment are kept, so it always stays on this site.
 */
export function storedHref(path: string): UrlObject {
  const url = new URL(path, "http://site.invalid");
  return { pathname: url.pathname, search: url.search, hash: url.hash };
}

/**
 * A path that came as data and is already known to stay on this site (a sign-in callback that `safeCallbackUrl`
 * checked, a wiki page's address), for `redirect()` and `router.push()`, which typed routes only let take routes
 * written in code. The one place a string becomes a `Route`, and only a path on this site does.
 */
export function isSitePath(path: string): path is Route {
  return path.startsWith("/") && !path.startsWith("//") && !path.startsWith("/\\");
}

/** `path` when it is a path on this site (see `isSitePath`), else the home page. */
export function sitePath(path: string): Route {
  return isSitePath(path) ? path : "/";
}
