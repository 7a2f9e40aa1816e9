// Import boundaries (DESIGN.md, Layout): each is a `files` block for the workspace config that lists it, so `files`
// globs are relative to that workspace. Type-only imports are erased at build, so they cross the boundaries that
// are about code (a component may name the `Role` type), never those about the database itself.
// Static imports only: the code base has no dynamic import of these modules, and review keeps it so.

const RULE = "@typescript-eslint/no-restricted-imports";

/** The database: our client package, Prisma (client and generated code) and the drivers beneath it. */
const DATABASE_PACKAGES = "^(@course/db|@prisma/.+|prisma|pg|@electric-sql/pglite)(/.*)?$|(^|/)generated/prisma(/|$)";
/** The web app's database handle, by alias or relative path: `~/server/db`, `../../server/db`. */
const WEB_DB_MODULE = "^(~/|(\\.\\./)+)server/db(\\.ts)?$";
/** Server modules a component may import for values: pure functions that import no database and no other server module. */
const PURE_SERVER_MODULES = ["homework/time", "progress", "wiki/titles", "forum/paths"];
const OTHER_SERVER_MODULES = `^(~/|(\\.\\./)+)server/(?!(db|${PURE_SERVER_MODULES.join("|")})(\\.tsx?)?$)`;

const componentMessage = "Components never import the database: take the data as props or through tRPC (README, House rules / lint).";

/**
 * apps/web: React components (src/components) never import the database, nor (for values) any server module
 * that could reach it; the pure server modules they may use must stay pure.
 */
export const webComponentsBoundary = [
  {
    files: ["src/components/**"],
    rules: {
      [RULE]: [
        "error",
        {
          patterns: [
            { regex: DATABASE_PACKAGES, allowTypeImports: true, message: componentMessage },
            { regex: WEB_DB_MODULE, message: componentMessage },
            { regex: OTHER_SERVER_MODULES, allowTypeImports: true, message: `${componentMessage} Types are fine (import type).` },
          ],
        },
      ],
    },
  },
  {
    files: PURE_SERVER_MODULES.map((m) => `src/server/${m}.ts`),
    rules: {
      [RULE]: [
        "error",
        {
          patterns: [
            { regex: DATABASE_PACKAGES, allowTypeImports: true, message: "Components import this module: it must not import the database." },
            { regex: "^(~/server/|\\.\\.?/)", allowTypeImports: true, message: "Components import this module: it must not import other server modules." },
          ],
        },
      ],
    },
  },
];

/**
 * apps/runner: the grading worker talks to the site over HTTP only (DESIGN.md, Runner protocol), so it never
 * imports the database (not even its types) nor the web app.
 */
export const runnerBoundary = [
  {
    files: ["**/*"],
    rules: {
      [RULE]: [
        "error",
        {
          patterns: [
            { regex: DATABASE_PACKAGES, message: "The runner never imports the database: it talks to the site over HTTP (DESIGN.md, Runner protocol)." },
            { regex: "^@course/web(/.*)?$|^(\\.\\./)+(apps/)?web(/|$)", message: "The runner never imports the web app: share code through a package." },
          ],
        },
      ],
    },
  },
];

/** packages/*: packages sit below the apps and never import them. */
export const packagesBoundary = [
  {
    files: ["**/*"],
    rules: {
      [RULE]: [
        "error",
        {
          patterns: [
            { regex: "^@course/(web|runner)(/.*)?$|^(\\.\\./)+apps(/|$)", message: "Packages never import apps: move the shared code into a package." },
          ],
        },
      ],
    },
  },
];
