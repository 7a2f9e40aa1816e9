import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../src/client";

const here = path.dirname(fileURLToPath(import.meta.url));

describe("embedded data directory lock", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "course-lock-"));
  const dataDir = path.join(dir, "pglite");
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase({ kind: "pglite", dataDir }, { migrate: true });
    await db.prisma.user.create({ data: { email: "first@example.com" } });
  });
  afterAll(async () => {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("gives a second process a clear error instead of opening the same directory", () => {
    const child = spawnSync(process.execPath, ["--import", "tsx", path.join(here, "fixtures", "open-db.ts"), dataDir], {
      encoding: "utf8",
      cwd: path.join(here, ".."),
    });
    expect(child.status).toBe(3);
    expect(child.stderr).toContain(`already open in process ${process.pid}`);
    expect(child.stderr).toContain("DATABASE_URL");
  });

  it("lets the next process in once the first has closed, with every row kept", async () => {
    await db.close();
    const child = spawnSync(process.execPath, ["--import", "tsx", path.join(here, "fixtures", "open-db.ts"), dataDir], {
      encoding: "utf8",
      cwd: path.join(here, ".."),
    });
    expect(child.stderr).toBe("");
    expect(child.stdout.trim()).toBe("users: first@example.com");
    db = await openDatabase({ kind: "pglite", dataDir });
  });

  it("takes over a lock left by a process that no longer exists", async () => {
    await db.close();
    fs.writeFileSync(`${dataDir}.lock`, JSON.stringify({ pid: 2 ** 22 + 7, host: os.hostname(), startedAt: "", command: "" }));
    db = await openDatabase({ kind: "pglite", dataDir });
    expect(await db.prisma.user.count()).toBe(1);
  });
});
