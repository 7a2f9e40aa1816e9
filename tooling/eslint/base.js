// The base preset for every workspace: ESLint's and typescript-eslint's recommended rules, and on TypeScript files
// the type-aware ones (each file is checked against its workspace's tsconfig through the project service, so run
// ESLint from the workspace folder, as every `lint` script does).
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

const TS = ["**/*.{ts,tsx,mts,cts}"];
const JS = ["**/*.{js,jsx,mjs,cjs}"];

export const base = tseslint.config(
  {
    ignores: ["**/node_modules/**", "**/.next/**", "**/dist/**", "**/generated/**", "**/.turbo/**", "**/.data/**", "**/next-env.d.ts"],
  },
  { linterOptions: { reportUnusedDisableDirectives: "error" } },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: TS,
    extends: [...tseslint.configs.recommendedTypeCheckedOnly],
    languageOptions: { parserOptions: { projectService: true } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      // A void-returning callback may be async (event handlers, React's onClick): the promise is handled inside.
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false, arguments: false } }],
      // `async` is often the contract (Next's generateStaticParams, interfaces that return promises, their test
      // doubles); no-floating-promises and await-thenable catch the mistakes that matter.
      "@typescript-eslint/require-await": "off",
      "@typescript-eslint/switch-exhaustiveness-check": ["error", { considerDefaultExhaustiveForUnions: true }],
      "no-console": "off",
    },
  },
  {
    // Vitest's asymmetric matchers (expect.any, expect.objectContaining) and JSON fixtures are typed `any` on purpose.
    files: ["**/test/**", "**/e2e/**"],
    rules: {
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-return": "off",
    },
  },
  {
    // Plain JavaScript is not type-checked (checkJs is off), so the rules that need types stay off there.
    files: JS,
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { ...globals.node } },
  },
);

export default base;
