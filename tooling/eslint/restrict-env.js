// process.env is read in a workspace's env modules, which check it (zod) and say what each variable means; other
// code takes its settings from them. `process.env.NODE_ENV` stays allowed: bundlers replace it at build time
// (client code has no other way to know the mode). Tests, e2e, scripts, benchmarks, bin/ and config files may read
// the environment. Uses no-restricted-syntax: a workspace that wants more of that rule must repeat these selectors.

const message = "Read the environment in this workspace's env module, not here (README, House rules / lint).";
const PROCESS_ENV = "MemberExpression[object.type='Identifier'][object.name='process'][property.name='env']";

export const ENV_SELECTORS = [
  // process.env.X, process.env[x] (X other than NODE_ENV)
  { selector: `MemberExpression[property.name!='NODE_ENV'] > ${PROCESS_ENV}.object`, message },
  // process.env as a whole: passed, spread, destructured, assigned
  { selector: `:not(MemberExpression) > ${PROCESS_ENV}`, message },
  // import { env } from "node:process"
  { selector: "ImportDeclaration[source.value=/^(node:)?process$/] > ImportSpecifier[imported.name='env']", message },
];

/** Where any workspace may read the environment. */
export const ENV_FREE_ZONES = ["test/**", "e2e/**", "scripts/**", "bench/**", "bin/**", "*.config.{ts,js,mjs,cjs}", "eslint.config.js"];

/**
 * No process.env outside `envModules` (globs relative to the workspace) and the free zones; list a file in
 * `envModules` only with a comment in the workspace config saying why it reads the environment itself.
 */
export function restrictEnv({ envModules = [] } = {}) {
  return [
    {
      files: ["**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}"],
      ignores: [...ENV_FREE_ZONES, ...envModules],
      rules: { "no-restricted-syntax": ["error", ...ENV_SELECTORS] },
    },
  ];
}
