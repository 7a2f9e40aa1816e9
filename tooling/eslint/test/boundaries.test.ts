// The house rules fail the lint: each case lints a made-up file at a real place in a workspace with that
// workspace's own eslint.config.js (type-aware parsing off, so no TypeScript program is built; the rules under
// test need no types). Taking a rule out of a preset or a workspace config fails its case here.
import { readFileSync, readdirSync, existsSync } from "node:fs";
import path from "node:path";
import { ESLint } from "eslint";
import tseslint from "typescript-eslint";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../../..");
const engines = new Map<string, ESLint>();

function engine(workspace: string): ESLint {
  let found = engines.get(workspace);
  if (!found) {
    found = new ESLint({ cwd: path.join(root, workspace), overrideConfig: [tseslint.configs.disableTypeChecked] });
    engines.set(workspace, found);
  }
  return found;
}

/** The rules that fire on `code` as if it were the file `file` (relative to the repository root). */
async function fired(file: string, code: string): Promise<string[]> {
  const [workspaceType, workspaceName] = file.split("/");
  const workspace = `${workspaceType}/${workspaceName}`;
  const [result] = await engine(workspace).lintText(code, { filePath: path.join(root, file) });
  const messages = result?.messages ?? [];
  const fatal = messages.find((m) => m.fatal);
  if (fatal) throw new Error(`${file}: ${fatal.message}`);
  return messages.map((m) => m.ruleId ?? "");
}

const IMPORTS = "@typescript-eslint/no-restricted-imports";
const ENV = "no-restricted-syntax";

describe("components never import the database", () => {
  const component = "apps/web/src/components/lesson/probe.tsx";
  it.each([
    ['import { getDb } from "~/server/db";', "the web app's database handle"],
    ['import type { getDb } from "~/server/db";', "not even its types"],
    ['import { getDb } from "../../server/db";', "by relative path"],
    ['import { createDatabase } from "@course/db";', "the database package"],
    ['import { PrismaClient } from "@prisma/client";', "Prisma"],
    ['import { notify } from "~/server/notifications/notify";', "a server module that reaches the database"],
    ['export { notify } from "~/server/notifications/notify";', "re-exported"],
  ])("%s fails (%s)", async (code) => {
    expect(await fired(component, code)).toContain(IMPORTS);
  });

  it.each([
    'import type { Role } from "@course/db";',
    'import type { AppRouter } from "~/server/trpc/root";',
    'import { formatDuration } from "~/server/homework/time";',
    'import { startPosition } from "~/server/progress";',
    'import { api } from "~/trpc/react";',
  ])("%s passes", async (code) => {
    expect(await fired(component, code)).not.toContain(IMPORTS);
  });

  it("the server modules components may import stay free of the database and other server modules", async () => {
    expect(await fired("apps/web/src/server/progress.ts", 'import { getDb } from "./db";')).toContain(IMPORTS);
    expect(await fired("apps/web/src/server/homework/time.ts", 'import { createDatabase } from "@course/db";')).toContain(IMPORTS);
    expect(await fired("apps/web/src/server/progress.ts", 'import type { PrismaClient } from "@course/db";')).not.toContain(IMPORTS);
  });
});

describe("the runner never imports the database nor the web app", () => {
  it.each([
    'import type { Database } from "@course/db";',
    'import { PrismaClient } from "@prisma/client";',
    'import { PGlite } from "@electric-sql/pglite";',
    'import { getDb } from "@course/web/src/server/db";',
    'import { serverEnv } from "../../web/src/env";',
  ])("%s fails", async (code) => {
    expect(await fired("apps/runner/src/job/probe.ts", code)).toContain(IMPORTS);
  });

  it("its own packages pass", async () => {
    expect(await fired("apps/runner/src/job/probe.ts", 'import { readNotebook } from "@course/notebook";')).not.toContain(IMPORTS);
  });
});

describe("packages never import apps", () => {
  it.each([
    ["packages/markdown/src/probe.ts", 'import { serverEnv } from "@course/web/src/env";'],
    ["packages/content/src/probe.ts", 'import type { ClaimResponse } from "@course/runner/protocol";'],
    ["packages/db/src/probe.ts", 'import { x } from "../../../apps/web/src/env";'],
    ["packages/training/test/probe.test.ts", 'import { gradeNotebook } from "@course/runner";'],
  ])("%s: %s fails", async (file, code) => {
    expect(await fired(file, code)).toContain(IMPORTS);
  });
});

describe("process.env only in env modules", () => {
  it.each([
    ["apps/web/src/server/probe.ts", "export const url = process.env.DATABASE_URL;"],
    ["apps/web/src/components/probe.tsx", 'export const url = process.env["YOUTUBE_IFRAME_API_URL"];'],
    ["apps/web/src/server/probe.ts", "export const { AUTH_SECRET } = process.env;"],
    ["apps/web/src/server/probe.ts", "export const all = { ...process.env };"],
    ["apps/web/src/server/probe.ts", 'import { env } from "node:process";\nexport const e = env;'],
    ["apps/runner/src/job/probe.ts", "export const token = process.env.RUNNER_TOKEN;"],
    ["packages/notebook/src/probe.ts", "export const cwd = process.env.HOME;"],
  ])("%s: %s fails", async (file, code) => {
    expect(await fired(file, code)).toContain(ENV);
  });

  it.each([
    ["apps/web/src/env.ts", "export const url = process.env.DATABASE_URL;"],
    ["apps/web/src/trpc/probe.tsx", 'export const dev = process.env.NODE_ENV === "development";'],
    ["apps/web/test/probe.test.ts", "export const url = process.env.DATABASE_URL;"],
    ["apps/web/e2e/probe.spec.ts", "export const port = process.env.E2E_PORT;"],
    ["apps/runner/src/config.ts", "export const token = process.env.RUNNER_TOKEN;"],
    ["packages/db/src/config.ts", "export const url = process.env.DATABASE_URL;"],
  ])("%s: %s passes", async (file, code) => {
    expect(await fired(file, code)).not.toContain(ENV);
  });
});

describe("every workspace composes the presets", () => {
  const workspaces = ["apps", "packages"].flatMap((dir) =>
    readdirSync(path.join(root, dir)).filter((name) => existsSync(path.join(root, dir, name, "package.json"))).map((name) => `${dir}/${name}`),
  );

  it.each(workspaces)("%s: type-aware rules on its TypeScript", async (workspace) => {
    const eslint = new ESLint({ cwd: path.join(root, workspace) });
    const config = (await eslint.calculateConfigForFile(path.join(root, workspace, "src/index.ts"))) as { rules: Record<string, unknown> };
    for (const rule of ["@typescript-eslint/no-floating-promises", "@typescript-eslint/no-misused-promises", "@typescript-eslint/await-thenable", "@typescript-eslint/switch-exhaustiveness-check", "@typescript-eslint/consistent-type-imports"]) {
      expect(config.rules[rule], rule).toEqual(expect.arrayContaining([2]));
    }
  });

  it("apps/web: the rules of hooks and Next.js", async () => {
    const eslint = new ESLint({ cwd: path.join(root, "apps/web") });
    const config = (await eslint.calculateConfigForFile(path.join(root, "apps/web/src/components/nav.tsx"))) as { rules: Record<string, unknown> };
    expect(config.rules["react-hooks/rules-of-hooks"]).toEqual([2]);
    expect(config.rules["react-hooks/exhaustive-deps"]).toEqual([2]);
    expect(config.rules["@next/next/no-html-link-for-pages"]).toEqual(expect.arrayContaining([2]));
    expect(config.rules["@next/next/no-img-element"]).toEqual(expect.arrayContaining([1]));
  });
});

describe("one zod", () => {
  it("every workspace asks for the same range, and the lockfile holds one copy", () => {
    const manifests = ["apps", "packages", "tooling"].flatMap((dir) =>
      readdirSync(path.join(root, dir))
        .map((name) => path.join(root, dir, name, "package.json"))
        .filter((file) => existsSync(file)),
    );
    const ranges = new Set<string>();
    for (const file of manifests) {
      const pkg = JSON.parse(readFileSync(file, "utf8")) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
      const range = pkg.dependencies?.zod ?? pkg.devDependencies?.zod;
      if (range) ranges.add(range);
    }
    expect([...ranges]).toHaveLength(1);
    const lock = JSON.parse(readFileSync(path.join(root, "package-lock.json"), "utf8")) as { packages: Record<string, unknown> };
    expect(Object.keys(lock.packages).filter((key) => /(^|\/)node_modules\/zod$/.test(key))).toEqual(["node_modules/zod"]);
  });
});
