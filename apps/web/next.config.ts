import { fileURLToPath } from "node:url";
import type { NextConfig } from "next";

const config: NextConfig = {
  // Our workspace packages ship TypeScript source (just-in-time packages, as in create-t3-turbo).
  transpilePackages: ["@course/db", "@course/content", "@course/runner", "@course/notebook", "@course/revisions", "@course/markdown"],
  // Native, WASM or file-reading packages load at run time from node_modules instead of being bundled.
  serverExternalPackages: ["esbuild", "mdx-bundler", "@electric-sql/pglite", "pglite-prisma-adapter", "@prisma/adapter-pg", "pg", "@prisma/schema-engine-wasm", "@prisma/client"],
  poweredByHeader: false,
  // server.mjs compresses, after it has put each response's CSP nonce into the body (Next's gzip would hide it).
  compress: false,
  typedRoutes: true,
  // `npm test` runs the same TypeScript check over this tsconfig in its first phase and sets COURSE_TYPECHECKED for the
  // build its browser phase makes; any other build (npm start, next build) checks the types itself.
  typescript: { ignoreBuildErrors: process.env.COURSE_TYPECHECKED === "1" },
  // CI builds once from a fresh clone: Turbopack's build cache would only be written (a minute of a busy 2-core run),
  // never read. Developers' repeated builds (npm start) keep it.
  experimental: { authInterrupts: true, turbopackFileSystemCacheForBuild: process.env.CI !== "true" },
  // Pages that are the same for every visitor (home, lessons, leaderboards) are kept rendered in this process's memory,
  // keyed by the content version (README "Page views and caching"). Next's own memory layer is off: one cache.
  cacheHandler: fileURLToPath(new URL("./cache-handler.mjs", import.meta.url)),
  cacheMaxMemorySize: 0,
  // Cached pages tell shared caches (a CDN) to serve them stale for at most 5 minutes past their `revalidate`.
  expireTime: 300,
  // Anonymous readers of a wiki page all see the same thing, so that view is rendered once and cached, as MediaWiki's
  // file cache does for anonymous views (README "Page views and caching"). A plain view of `/wiki/<Title>` without a
  // session cookie is served by `/wiki-view/[...title]` (the address stays); signed-in readers, the page's actions
  // (`?action=edit`, `?oldid=`, `?redirect=no`, the notes after a save or a redirect) and special pages are rendered
  // per request by `/wiki/[...title]`. The view reads no other query parameter, so others may stay.
  // Anonymous readers of a forum topic likewise: a plain view of `/forum/t/<id>/<slug>` is served by
  // `/forum-view/<id>/<slug>`; `?post=` (a jump) and asks from the lesson page (`?ask=`) are rendered per request.
  async rewrites() {
    const signedOut = [
      { type: "cookie" as const, key: "next-auth.session-token" },
      { type: "cookie" as const, key: "__Secure-next-auth.session-token" },
    ];
    return {
      beforeFiles: [
        {
          source: "/forum/t/:id([A-Za-z0-9_-]+)/:slug*",
          missing: [...signedOut, ...["post", "ask"].map((key) => ({ type: "query" as const, key }))],
          destination: "/forum-view/:id/:slug*",
        },
        {
          source: "/wiki/:title((?![Ss][Pp][Ee][Cc][Ii][Aa][Ll][ _]*(?::|%3[Aa]))[^/]+)/:rest*",
          missing: [
            ...signedOut,
            ...["action", "oldid", "redirect", "rdfrom", "merged"].map((key) => ({ type: "query" as const, key })),
          ],
          destination: "/wiki-view/:title/:rest*",
        },
      ],
      afterFiles: [],
      fallback: [],
    };
  },
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "X-Frame-Options", value: "SAMEORIGIN" },
        ],
      },
    ];
  },
};

export default config;
