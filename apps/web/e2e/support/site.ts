import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");
const webDir = path.join(repoRoot, "apps/web");

/** A port nothing listens on now, for a spec's extra site (E2E_PORT + 1 may be another checkout's E2E_PORT). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Where global-setup keeps the seeded database that seeded sites start on a copy of. */
const SEEDED_TEMPLATE_ENV = "E2E_SEEDED_DATABASE";

/**
 * Creates the accounts in accounts.ts in a new embedded database at `pgliteDir`. Seeding means starting tsx and
 * running every migration (15 s or more on a busy machine), so it runs once per test run, in global-setup
 * (`makeSeededTemplate`), and each seeded site gets a copy of that closed data directory.
 */
export function seedDatabase(pgliteDir: string): void {
  const template = process.env[SEEDED_TEMPLATE_ENV];
  if (template && fs.existsSync(template)) {
    fs.cpSync(template, pgliteDir, { recursive: true });
    return;
  }
  const seeded = spawnSync(process.execPath, ["--import", "tsx", "e2e/support/seed.ts", pgliteDir], { cwd: webDir, encoding: "utf8" });
  if (seeded.status !== 0) throw new Error(`Seeding the test database failed:\n${seeded.stderr}`);
}

/** Seeds the template once (global-setup); workers inherit its location. Returns a function that removes it. */
export function makeSeededTemplate(): () => void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "course-e2e-seeded-"));
  seedDatabase(path.join(dir, "pglite"));
  process.env[SEEDED_TEMPLATE_ENV] = path.join(dir, "pglite");
  return () => fs.rmSync(dir, { recursive: true, force: true });
}

export interface Site {
  url: string;
  logFile: string;
  work: string;
  stop(): Promise<void>;
}

/**
 * Starts the real site the way `npm start` does (without rebuilding: the tests build first) on a fresh embedded
 * database in a temporary folder, optionally seeded with the accounts in accounts.ts. Its log goes to `logFile`.
 */
export async function startSite({ port, seed = false, env = {} }: { port: number; seed?: boolean; env?: Record<string, string> }): Promise<Site> {
  // Another server on the port would silently answer in our site's place.
  const taken = await fetch(`http://127.0.0.1:${port}/`).then(() => true, () => false);
  if (taken) throw new Error(`Port ${port} is already in use; stop what runs there or set E2E_PORT to a free port.`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "course-e2e-"));
  fs.chmodSync(work, 0o755);
  const dataDir = path.join(work, "data");
  if (seed) seedDatabase(path.join(dataDir, "pglite"));
  const logFile = path.join(work, "server.log");
  const log = fs.openSync(logFile, "a");
  const server = spawn(process.execPath, [path.join(repoRoot, "scripts/start.mjs")], {
    cwd: repoRoot,
    env: {
      ...process.env,
      PORT: String(port),
      COURSE_DATA_DIR: dataDir,
      COURSE_SKIP_BUILD: "1",
      COURSE_LOCAL_RUNNER: "0",
      DATABASE_URL: "",
      NEXTAUTH_URL: `http://127.0.0.1:${port}`,
      // Every test account signs up from 127.0.0.1; a spec that tests the limit sets its own.
      SIGNUP_MAX_PER_WINDOW: "1000",
      // Specs post as fast as a browser clicks; the forum's rate limits have their own tests (test/forum-trust.test.ts).
      FORUM_RATE_LIMITS: "off",
      ...env,
    },
    stdio: ["ignore", log, log],
    detached: true,
  });
  const stop = async () => {
    try {
      process.kill(-server.pid!, "SIGTERM");
    } catch {
      // already gone
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    fs.rmSync(work, { recursive: true, force: true });
  };
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (server.exitCode !== null) {
      throw new Error(`The site exited with code ${server.exitCode} before it was ready:\n${fs.readFileSync(logFile, "utf8")}`);
    }
    const healthy = await fetch(`http://127.0.0.1:${port}/api/health`)
      .then((res) => res.ok)
      .catch(() => false);
    if (healthy) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`The site did not become healthy in 120 s:\n${fs.readFileSync(logFile, "utf8")}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return { url: `http://127.0.0.1:${port}`, logFile, work, stop };
}
