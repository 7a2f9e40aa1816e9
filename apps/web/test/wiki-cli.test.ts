import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase } from "@course/db";
import { describe, expect, it } from "vitest";

const web = path.resolve(import.meta.dirname, "..");
const fixture = path.resolve(import.meta.dirname, "../../../packages/wikitext/test/fixtures/course-wiki.xml");
const wiki = (dataDir: string, ...args: string[]) =>
  spawnSync(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/wiki.ts", ...args], {
    cwd: web,
    encoding: "utf8",
    env: { ...process.env, COURSE_DATA_DIR: dataDir, DATABASE_URL: "", INIT_CWD: web },
  });

describe("npm run wiki:import / wiki:export", () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "wiki-cli-"));
  const out = path.join(dataDir, "export");

  // Each run opens (and checks the migrations of) the embedded database: seconds each, more on a busy machine.
  it("imports a dump with progress and the report, exports it, and explains bad input", () => {
    const imported = wiki(dataDir, "import", fixture);
    expect(imported.status).toBe(0);
    expect(imported.stderr).toContain("created   Lesson 1 (2 revisions)");
    expect(imported.stdout).toContain("4 page(s) created, 0 updated, 0 already up to date");
    expect(imported.stdout).toContain("Lesson 1, line 1: {{Lesson navigation|prev=Setup|next=Lesson 2}}");

    const exported = wiki(dataDir, "export", out);
    expect(exported.stdout).toContain(`Exported 4 page(s) to ${out}.`);
    expect(fs.readdirSync(out)).toContain("Lesson_One.md");

    const missing = wiki(dataDir, "import", "no-such-dump.xml");
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain(`${path.join(web, "no-such-dump.xml")} does not exist.`);
    expect(wiki(dataDir, "import").status).toBe(2);
  }, 240_000);

  it("says clearly that the embedded database is in use by another process", async () => {
    const db = await openDatabase({ kind: "pglite", dataDir: path.join(dataDir, "pglite") });
    const locked = wiki(dataDir, "import", fixture);
    await db.close();
    expect(locked.status).toBe(1);
    expect(locked.stderr).toContain(`already open in process ${process.pid}`);
    expect(locked.stderr).toContain("stop the site first");
  }, 120_000);
});
