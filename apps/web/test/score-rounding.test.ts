import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Database } from "@course/db";
import { createBenchmark, defaultExecutorBinds, gradeNotebook, loadBenchmark, parseExecutor, DEFAULT_EXECUTOR, type Benchmark, type ClaimResponse, type Scores } from "@course/runner";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { completion } from "./homework-support";
import { setRole, signUpWithPassword, type PublicUser } from "~/server/auth/users";
import { getAssignments } from "~/server/homework/assignments";
import { handleSubmissionUpload } from "~/server/homework/upload";
import { createRunnerToken } from "~/server/runner/tokens";
import { createCaller } from "~/server/trpc/root";
import { eachBackend } from "./support/backends";
import { uploadRequest } from "./homework-support";

// The runner API reads the database through this module: the test gives it the test database.
const current = vi.hoisted(() => ({ db: null as Database | null }));
vi.mock("~/server/db", () => ({
  getDb: async () => {
    if (!current.db) throw new Error("no database");
    return current.db;
  },
}));

const repo = path.resolve(import.meta.dirname, "../../..");
const assets = process.env.COURSE_ASSETS_DIR ?? path.resolve(repo, "../shared/assets");
const sample = path.join(assets, "datasets/dogscats-kaggle-sample/train");
const haveBwrap = spawnSync("/usr/bin/bwrap", ["--version"]).status === 0;
const haveSample = fs.existsSync(sample);
if (!haveBwrap) console.log("skipping the score-probing test: bubblewrap (/usr/bin/bwrap) is not installed");
if (!haveSample) console.log(`skipping the score-probing test: ${sample} is absent`);

/**
 * The attack: P(dog) = base for every test id, each of the first ten nudged by sign * 1e-12 * 2^k. At full precision
 * the log loss's last digits spell out which of those ids are dogs (a dog's nudge up lowers the loss, a cat's raises
 * it); a dozen such submissions recover every public label. No model, just submission.csv.
 */
function probeNotebook(base: number, sign: number) {
  const source = `import fs from "node:fs";
const ids = fs.readdirSync(process.env.COURSE_DATA_DIR + "/test").map((f) => f.replace(/\\.jpg$/, "")).sort((a, b) => Number(a) - Number(b));
const rows = ids.map((id, k) => id + "," + (${base} + (k < 10 ? ${sign} * 1e-12 * 2 ** k : 0)));
fs.writeFileSync("submission.csv", "id,label\\n" + rows.join("\\n") + "\\n");
console.log("probed", ids.length, "ids");`;
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "typescript", display_name: "TypeScript", language: "typescript" } },
    cells: [{ id: "probe", cell_type: "code", metadata: {}, execution_count: null, outputs: [], source }],
  });
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), "score-probe-"));
fs.chmodSync(work, 0o755); // the sandbox runs as its own uid and must reach the benchmark's public folders

describe.skipIf(!haveBwrap || !haveSample)("scores are rounded before they are stored or served", () => {
  let bench: Benchmark;
  beforeAll(async () => {
    const kaggle = path.join(work, "kaggle");
    fs.mkdirSync(kaggle);
    for (const animal of ["cat", "dog"]) {
      for (let i = 0; i < 12; i++) fs.copyFileSync(path.join(sample, `${animal}.${i}.jpg`), path.join(kaggle, `${animal}.${i}.jpg`));
    }
    const created = await createBenchmark({ fromKaggle: kaggle, out: path.join(work, "benchmarks", "dogscats"), seed: 5 });
    bench = await loadBenchmark(created.dir);
  });
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  eachBackend((db) => {
    const caller = (user: PublicUser) => createCaller({ db: db(), user, ip: "127.0.0.1" });

    /** Uploads a notebook, lets the real runner grade it in the sandbox, and completes the job through the runner API. */
    async function submitAndGrade(user: PublicUser, notebook: string, token: string, now: Date): Promise<{ id: string; raw: Scores }> {
      current.db = db();
      const uploaded = await handleSubmissionUpload(uploadRequest({ file: notebook, name: "probe.ipynb", assignment: "open-hw" }), {
        prisma: db().prisma,
        user,
        assignments: await getAssignments(),
        now: () => now,
      });
      expect(uploaded.status).toBe(201);
      const { id } = (await uploaded.json()) as { id: string };

      const runnerPost = (url: string, body: unknown) =>
        new Request(`http://localhost${url}`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify(body) });
      const { POST: claim } = await import("~/app/api/runner/claim/route");
      const claimed = await claim(runnerPost("/api/runner/claim", { capabilities: completion([0, 0]).capabilities, waitSeconds: 0 }));
      expect(claimed.status).toBe(200);
      const { job } = (await claimed.json()) as ClaimResponse;

      const { binds, extraPath } = defaultExecutorBinds();
      const outcome = await gradeNotebook({
        notebook: job.notebook,
        benchmark: bench,
        executor: parseExecutor(DEFAULT_EXECUTOR),
        jobsDir: path.join(work, "jobs"),
        readOnlyBinds: binds,
        extraPath,
        limits: { wallTimeMs: 120_000 },
      });
      if (!outcome.ok) throw new Error(`${outcome.reason}: ${outcome.message}`);

      const { POST: complete } = await import("~/app/api/runner/jobs/[id]/complete/route");
      const done = await complete(
        runnerPost(`/api/runner/jobs/${job.id}/complete`, { ...completion([0, 0]), executedNotebook: outcome.executedNotebook, submissionCsv: outcome.submissionCsv, scores: outcome.scores, timings: outcome.timings }),
        { params: Promise.resolve({ id: job.id }) },
      );
      expect(done.status).toBe(200);
      return { id, raw: outcome.scores };
    }

    it("serves identical scores for two probes of the hidden labels, and different ones for a real change", async () => {
      const alice = await signUpWithPassword(db().prisma, { email: "alice@example.com", password: "a sound passphrase" });
      const bob = await signUpWithPassword(db().prisma, { email: "bob@example.com", password: "a sound passphrase" });
      await signUpWithPassword(db().prisma, { email: "admin@example.com", password: "a sound passphrase" });
      const admin = await setRole(db().prisma, "admin@example.com", "admin");
      const { token } = await createRunnerToken(db().prisma, "runner");

      const up = await submitAndGrade(alice, probeNotebook(0.3, +1), token, new Date("2030-01-01T10:00:00Z"));
      const down = await submitAndGrade(alice, probeNotebook(0.3, -1), token, new Date("2030-01-01T11:00:00Z"));
      const real = await submitAndGrade(bob, probeNotebook(0.4, 0), token, new Date("2030-01-01T12:00:00Z"));

      // The runner's own numbers carry the leak: the nudges show in the last digits.
      expect(up.raw.public.logLoss).not.toBe(down.raw.public.logLoss);

      const served = async (user: PublicUser, id: string) => (await caller(user).homework.submission({ id })).publicScore;
      const [a, b, c] = [await served(alice, up.id), await served(alice, down.id), await served(bob, real.id)];
      expect(a).not.toBeNull();
      expect(a).toEqual(b);
      expect(c!.logLoss).not.toBe(a!.logLoss);
      for (const score of [a!, c!]) {
        expect(score.logLoss).toBe(Number(score.logLoss.toFixed(5)));
        expect(score.accuracy).toBe(Number(score.accuracy.toFixed(5)));
      }

      // Nothing stores or serves the full doubles: not the job's result (admin pages), not the submission row.
      for (const { id } of [up, down]) {
        const row = await db().prisma.submission.findUniqueOrThrow({ where: { id }, include: { job: true } });
        const stored = (row.job.result as { scores: Scores }).scores;
        for (const m of [stored.overall, stored.public, stored.private]) {
          expect(m.logLoss).toBe(Number(m.logLoss.toFixed(5)));
          expect(m.accuracy).toBe(Number(m.accuracy.toFixed(5)));
        }
        expect(row.publicLogLoss).toBe(a!.logLoss);
        const adminView = await caller(admin).operations.jobs.get({ id: row.jobId });
        expect(JSON.stringify(adminView)).not.toContain(String(up.raw.public.logLoss));
        expect(JSON.stringify(adminView)).not.toContain(String(down.raw.public.logLoss));
      }
      const leaderboard = await caller(alice).leaderboard.get({ slug: "open-hw" });
      expect(JSON.stringify(leaderboard)).not.toContain(String(up.raw.public.logLoss));
      // Alice's two probes now tie: the earlier submission is the one that counts.
      const aliceRow = leaderboard.public.find((row) => row.entries === 2)!;
      expect(aliceRow).toMatchObject({ submissionId: up.id, logLoss: a!.logLoss });
    }, 240_000);
  });
});
