import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { PrismaClient } from "@course/db";
import { createBenchmark } from "@course/runner";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ASSETS, findCourseAssets } from "../../../tooling/course-assets";

// The real API code, the real database, and two real `course-runner work` processes with real sandboxes.
const repo = path.resolve(import.meta.dirname, "../../..");
const assets = findCourseAssets("the two-runner test", [ASSETS.kaggleSample]);
const sample = path.join(assets ?? "", ASSETS.kaggleSample);
const work = fs.mkdtempSync(path.join(os.tmpdir(), "runner-queue-"));
// The sandbox runs as its own uid and must be able to reach the benchmark's public folders.
fs.chmodSync(work, 0o755);
process.env.COURSE_DATA_DIR = path.join(work, "data");
delete process.env.DATABASE_URL;

const haveBwrap = spawnSync("/usr/bin/bwrap", ["--version"]).status === 0;
const haveSample = assets !== undefined;
if (!haveBwrap) console.log("skipping the two-runner test: bubblewrap (/usr/bin/bwrap) is not installed");

const notebook = JSON.stringify({
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: "typescript", display_name: "TypeScript", language: "typescript" } },
  cells: [
    ["c1", `import fs from "node:fs";\nconst ids: string[] = fs.readdirSync(process.env.COURSE_DATA_DIR + "/test").map((f) => f.replace(/\\.jpg$/, ""));\nconsole.log("test images:", ids.length);`],
    ["c2", `for (let i = 1; i <= 8; i++) { console.log("step", i); await new Promise((r) => setTimeout(r, 1000)); }`],
    ["c3", `fs.writeFileSync("submission.csv", "id,label\\n" + ids.map((id) => id + ",0.5").join("\\n") + "\\n");`],
  ].map(([id, source]) => ({ id, cell_type: "code", metadata: {}, execution_count: null, outputs: [], source })),
});

describe.skipIf(!haveBwrap || !haveSample)("two runners against one queue", () => {
  let server: { url: string; close(): Promise<void> };
  const runners: ChildProcess[] = [];
  let prisma: PrismaClient;
  let tokens: { a: string; b: string; aId: string; bId: string };

  beforeAll(async () => {
    const kaggle = path.join(work, "kaggle");
    fs.mkdirSync(kaggle);
    for (const animal of ["cat", "dog"]) {
      for (let i = 0; i < 12; i++) fs.copyFileSync(path.join(sample, `${animal}.${i}.jpg`), path.join(kaggle, `${animal}.${i}.jpg`));
    }
    await createBenchmark({ fromKaggle: kaggle, out: path.join(work, "benchmarks", "tiny"), seed: 1 });

    const { getDb } = await import("~/server/db");
    const { createRunnerToken } = await import("~/server/runner/tokens");
    prisma = (await getDb()).prisma;
    const a = await createRunnerToken(prisma, "A");
    const b = await createRunnerToken(prisma, "B");
    tokens = { a: a.token, b: b.token, aId: a.record.id, bId: b.record.id };

    const { serveRoutes } = await import("./support/route-server");
    server = await serveRoutes([
      { pattern: /^\/api\/runner\/claim$/, handler: (await import("~/app/api/runner/claim/route")).POST },
      { pattern: /^\/api\/runner\/jobs\/(?<id>[^/]+)\/heartbeat$/, handler: (await import("~/app/api/runner/jobs/[id]/heartbeat/route")).POST },
      { pattern: /^\/api\/runner\/jobs\/(?<id>[^/]+)\/complete$/, handler: (await import("~/app/api/runner/jobs/[id]/complete/route")).POST },
      { pattern: /^\/api\/runner\/jobs\/(?<id>[^/]+)\/fail$/, handler: (await import("~/app/api/runner/jobs/[id]/fail/route")).POST },
    ]);
  });

  afterAll(async () => {
    for (const r of runners) if (r.exitCode === null) r.kill("SIGKILL");
    await server?.close();
  });

  function startRunner(name: string, token: string, uid: number) {
    const log = fs.openSync(path.join(work, `${name}.log`), "a");
    const child = spawn(
      process.execPath,
      [path.join(repo, "apps/runner/bin/course-runner.js"), "work", "--server", server.url, "--benchmarks-dir", path.join(work, "benchmarks"), "--timeout", "120"],
      {
        cwd: repo,
        env: { ...process.env, RUNNER_TOKEN: token, RUNNER_NAME: name, RUNNER_SANDBOX_UID: String(uid), COURSE_RUNNER_JOBS_DIR: path.join(work, `jobs-${name}`) },
        stdio: ["ignore", log, log],
      },
    );
    runners.push(child);
    return child;
  }

  async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 90_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value) return value;
      if (Date.now() > deadline) {
        const logs = ["A", "B"].map((n) => fs.existsSync(path.join(work, `${n}.log`)) ? `--- ${n}\n${fs.readFileSync(path.join(work, `${n}.log`), "utf8")}` : "").join("\n");
        throw new Error(`timed out waiting for ${what}\n${logs}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  it("finishes a job exactly once on the surviving runner when the other is killed with SIGKILL mid-job", async () => {
    const { enqueueJob } = await import("~/server/runner/queue");
    const { id } = await enqueueJob(prisma, { notebook, benchmarkId: "tiny", leaseSeconds: 12 });

    const a = startRunner("A", tokens.a, 64101);
    await until("runner A to be mid-job", async () => {
      const job = await prisma.job.findUniqueOrThrow({ where: { id } });
      const logged = await prisma.jobLog.count({ where: { jobId: id, text: { contains: "step" } } });
      return job.status === "running" && job.runnerId === tokens.aId && logged > 0;
    });
    startRunner("B", tokens.b, 64102);
    a.kill("SIGKILL");

    const done = await until("the job to finish", async () => {
      const job = await prisma.job.findUniqueOrThrow({ where: { id } });
      return job.status === "succeeded" || job.status === "failed" ? job : null;
    });
    expect(done.status).toBe("succeeded");
    expect(done.attempts).toBe(2);
    expect(done.lastError).toBeNull();
    expect(done.result).toMatchObject({ runnerTokenId: tokens.bId, scores: { overall: { count: expect.any(Number) } } });
    expect(done.submissionCsv?.split("\n")[0]).toBe("id,label");
    const executed = JSON.parse(done.executedNotebook!) as { cells: { execution_count: number | null }[] };
    expect(executed.cells.map((c) => c.execution_count)).toEqual([1, 2, 3]);
    // A's lines from attempt 1 and B's from attempt 2 are both kept.
    const attempts = await prisma.jobLog.groupBy({ by: ["attempt"], where: { jobId: id }, _count: true });
    expect(attempts.map((g) => g.attempt).sort()).toEqual([1, 2]);
    // Nothing of the killed runner's sandbox is left running.
    const leftovers = spawnSync("pgrep", ["-u", "64101"], { encoding: "utf8" }).stdout.trim();
    expect(leftovers).toBe("");
  }, 180_000);
});
