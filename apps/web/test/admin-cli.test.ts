import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase } from "@course/db";
import { describe, expect, it } from "vitest";
import { signUpWithPassword } from "~/server/auth/users";

const web = path.resolve(import.meta.dirname, "..");
const admin = (dataDir: string, ...args: string[]) =>
  spawnSync(process.execPath, ["--import", "tsx", "scripts/admin.ts", ...args], {
    cwd: web,
    encoding: "utf8",
    env: { ...process.env, COURSE_DATA_DIR: dataDir, DATABASE_URL: "" },
  });

describe("npm run admin", () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "admin-cli-"));

  it("grants roles, lists accounts, and explains bad input", async () => {
    const db = await openDatabase({ kind: "pglite", dataDir: path.join(dataDir, "pglite") }, { migrate: true });
    await signUpWithPassword(db.prisma, { email: "first@example.com", password: "a sound passphrase" });
    await signUpWithPassword(db.prisma, { email: "second@example.com", password: "a sound passphrase" });
    await db.close();

    const grant = admin(dataDir, "grant", "second@example.com", "grader");
    expect(grant.stdout).toContain("second@example.com is now grader.");
    expect(grant.status).toBe(0);
    expect(admin(dataDir, "list").stdout).toMatch(/admin\s+first@example.com[\s\S]*grader\s+second@example.com/);

    const unknown = admin(dataDir, "grant", "nobody@example.com", "grader");
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain("No account with the email nobody@example.com.");
    const badRole = admin(dataDir, "grant", "second@example.com", "owner");
    expect(badRole.status).toBe(2);
    expect(badRole.stderr).toContain('Unknown role "owner"');
  });

  it("creates, lists and revokes runner tokens, showing a token only once", () => {
    const created = admin(dataDir, "runner-token", "create", "gpu-1");
    expect(created.status).toBe(0);
    const token = /crt_[A-Za-z0-9_-]{32}/.exec(created.stdout)?.[0];
    expect(token).toBeDefined();
    const listed = admin(dataDir, "runner-token", "list").stdout;
    expect(listed).toContain("gpu-1");
    expect(listed).not.toContain(token!);
    expect(admin(dataDir, "runner-token", "revoke", token!.slice(0, 10)).stdout).toContain('Revoked runner token "gpu-1"');
    expect(admin(dataDir, "runner-token", "list").stdout).toMatch(/gpu-1\s+revoked/);
  });

  it("says clearly that the embedded database is in use by another process", async () => {
    const db = await openDatabase({ kind: "pglite", dataDir: path.join(dataDir, "pglite") });
    const locked = admin(dataDir, "list");
    await db.close();
    expect(locked.status).toBe(1);
    expect(locked.stderr).toContain(`already open in process ${process.pid}`);
    expect(locked.stderr).toContain("/admin/users");
  });
});
