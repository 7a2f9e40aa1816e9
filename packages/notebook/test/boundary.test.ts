// The web app imports "@course/notebook" to check uploads: that entry must not pull in the
// executor (node:vm, child processes, the TypeScript compiler).
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { packageDir } from "./helpers";

function importGraph(entry: string, seen = new Set<string>()): { files: Set<string>; external: Set<string> } {
  const external = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"|import\(\s*"([^"]+)"\s*\)/g)) {
      const spec = m[1] ?? m[2] ?? "";
      if (spec.startsWith(".")) visit(path.resolve(path.dirname(file), spec.endsWith(".ts") ? spec : `${spec}.ts`));
      else external.add(spec);
    }
  };
  visit(entry);
  return { files: seen, external };
}

describe("module boundary", () => {
  it("the main entry imports only zod", () => {
    const { files, external } = importGraph(path.join(packageDir, "src", "index.ts"));
    expect([...external]).toEqual(["zod"]);
    expect([...files].some((f) => f.includes(`${path.sep}execute${path.sep}`))).toBe(false);
  });

  it("the execute entry is where node:vm, child processes and typescript live", () => {
    const { external } = importGraph(path.join(packageDir, "src", "execute", "index.ts"));
    expect(external).toContain("typescript");
    expect(external).toContain("node:child_process");
  });
});
