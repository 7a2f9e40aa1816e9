import { writeNotebook, type Notebook } from "@course/notebook";
import type { CompleteRequest, FailRequest } from "@course/runner/protocol";
import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { setRole, signUpWithPassword, type PublicUser } from "~/server/auth/users";
import { claimNextJob, enqueueJob, finishJob, heartbeatJob } from "~/server/runner/queue";
import { authenticateRunner } from "~/server/runner/tokens";
import { createCaller } from "~/server/trpc/root";
import { eachBackend } from "./support/backends";

const password = "a sound passphrase";
const code = (error: unknown) => (error instanceof TRPCError ? error.code : String(error));
const failure = (p: Promise<unknown>) => p.then(() => "resolved", (e: unknown) => code(e));

const capabilities = {
  runnerName: "gpu-box-1",
  runnerVersion: "0.0.0",
  cpuModel: "AMD EPYC 9654",
  cpuCount: 16,
  memoryBytes: 128 * 2 ** 30,
  gpu: "NVIDIA H100 80GB HBM3",
  backend: "cuda",
  platform: "linux-x64",
  sandbox: "bubblewrap" as const,
};
const timings = { setupMs: 10, executeMs: 2000, scoreMs: 5, totalMs: 2015 };
const executed: Notebook = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: "typescript", display_name: "TypeScript" } },
  cells: [
    {
      id: "a1",
      cell_type: "code",
      metadata: {},
      source: "console.log('hi')",
      execution_count: 1,
      outputs: [{ output_type: "stream", name: "stdout", text: "hi\n" }],
    },
  ],
};
const complete = (accuracy: number): CompleteRequest => ({
  executedNotebook: writeNotebook(executed),
  submissionCsv: "id,label\n1,0.9\n2,0.1\n",
  scores: {
    overall: { count: 2, accuracy, logLoss: 0.25 },
    public: { count: 1, accuracy, logLoss: 0.2 },
    private: { count: 1, accuracy, logLoss: 0.3 },
  },
  capabilities,
  backend: "cuda",
  timings,
  logLines: [{ at: new Date().toISOString(), stream: "stdout", text: "scored" }],
});
const fail = (reason: FailRequest["reason"]): FailRequest => ({
  reason,
  message: `details of ${reason}`,
  executedNotebook: null,
  capabilities,
  timings,
  logLines: [],
});

eachBackend((db) => {
  const caller = (user: PublicUser | null) => createCaller({ db: db(), user, ip: "127.0.0.1" });

  async function people() {
    const admin = await signUpWithPassword(db().prisma, { email: "admin@example.com", password });
    const student = await signUpWithPassword(db().prisma, { email: "student@example.com", password });
    await signUpWithPassword(db().prisma, { email: "grader@example.com", password });
    const grader = await setRole(db().prisma, "grader@example.com", "grader");
    expect(admin.role).toBe("admin");
    return { admin, student, grader };
  }

  const enqueue = (benchmarkId = "dogscats", notebook = writeNotebook(executed)) => enqueueJob(db().prisma, { notebook, benchmarkId });

  describe("operations: authorization", () => {
    it("answers UNAUTHORIZED to anonymous visitors, FORBIDDEN to students and graders, and serves admins, for every procedure", async () => {
      const { admin, student, grader } = await people();
      const job = await enqueue();
      const calls: Record<string, (user: PublicUser | null) => Promise<unknown>> = {
        "runners.list": (u) => caller(u).operations.runners.list(),
        "runners.createToken": (u) => caller(u).operations.runners.createToken({ name: `box of ${u?.email ?? "nobody"}` }),
        "jobs.list": (u) => caller(u).operations.jobs.list({ limit: 10 }),
        "jobs.get": (u) => caller(u).operations.jobs.get({ id: job.id }),
        "jobs.cancel": (u) => caller(u).operations.jobs.cancel({ id: job.id }),
        "jobs.requeue": (u) => caller(u).operations.jobs.requeue({ id: job.id }),
      };
      for (const [name, call] of Object.entries(calls)) {
        expect(await failure(call(null)), `${name} anonymous`).toBe("UNAUTHORIZED");
        expect(await failure(call(student)), `${name} student`).toBe("FORBIDDEN");
        expect(await failure(call(grader)), `${name} grader`).toBe("FORBIDDEN");
        expect(await failure(call(admin)), `${name} admin`).toBe("resolved");
      }
      // revoke needs a live token each time; the refused calls must leave it alone.
      const { runner } = await caller(admin).operations.runners.createToken({ name: "to revoke" });
      for (const user of [null, student, grader]) await failure(caller(user).operations.runners.revoke({ id: runner.id }));
      expect((await db().prisma.runnerToken.findUniqueOrThrow({ where: { id: runner.id } })).revokedAt).toBeNull();
      expect(await failure(caller(null).operations.runners.revoke({ id: runner.id }))).toBe("UNAUTHORIZED");
      expect(await failure(caller(student).operations.runners.revoke({ id: runner.id }))).toBe("FORBIDDEN");
      expect(await failure(caller(grader).operations.runners.revoke({ id: runner.id }))).toBe("FORBIDDEN");
      expect(await failure(caller(admin).operations.runners.revoke({ id: runner.id }))).toBe("resolved");
      // Nothing the refused calls asked for happened: one token per admin call only.
      expect((await db().prisma.runnerToken.findMany()).map((t) => t.name).sort()).toEqual(["box of admin@example.com", "to revoke"]);
    });

    it("re-reads the role: a demoted admin is refused at once", async () => {
      const { admin } = await people();
      await signUpWithPassword(db().prisma, { email: "second@example.com", password });
      await setRole(db().prisma, "second@example.com", "admin");
      await setRole(db().prisma, admin.email, "student");
      const demoted = await db().prisma.user.findUniqueOrThrow({ where: { id: admin.id }, select: { id: true, email: true, name: true, role: true } });
      expect(await failure(caller(demoted).operations.runners.list())).toBe("FORBIDDEN");
    });
  });

  describe("operations.runners", () => {
    it("creates a token shown once that authenticates a runner, lists only its prefix, and stops it on revoke", async () => {
      const { admin } = await people();
      const created = await caller(admin).operations.runners.createToken({ name: "  gpu box  " });
      expect(created.token).toMatch(/^crt_[A-Za-z0-9_-]{32}$/);
      expect(created.runner).toMatchObject({ name: "gpu box", prefix: created.token.slice(0, 10) });
      expect((await authenticateRunner(db().prisma, `Bearer ${created.token}`))?.id).toBe(created.runner.id);

      const list = await caller(admin).operations.runners.list();
      expect(list.runners).toHaveLength(1);
      expect(list.runners[0]).toMatchObject({ id: created.runner.id, name: "gpu box", prefix: created.token.slice(0, 10), revoked: false, online: false });
      expect(JSON.stringify(list)).not.toContain(created.token);
      expect(JSON.stringify(await db().prisma.runnerToken.findMany())).not.toContain(created.token);

      const revoked = await caller(admin).operations.runners.revoke({ id: created.runner.id });
      expect(revoked.revokedAt).toBeInstanceOf(Date);
      expect(await authenticateRunner(db().prisma, `Bearer ${created.token}`)).toBeNull();
      expect((await caller(admin).operations.runners.list()).runners[0]).toMatchObject({ revoked: true, online: false });
      expect(await failure(caller(admin).operations.runners.revoke({ id: created.runner.id }))).toBe("BAD_REQUEST");
      expect(await failure(caller(admin).operations.runners.revoke({ id: "no-such-token" }))).toBe("NOT_FOUND");
    });

    it("refuses a blank or over-long name", async () => {
      const { admin } = await people();
      expect(await failure(caller(admin).operations.runners.createToken({ name: "   " }))).toBe("BAD_REQUEST");
      expect(await failure(caller(admin).operations.runners.createToken({ name: "x".repeat(101) }))).toBe("BAD_REQUEST");
      expect(await db().prisma.runnerToken.count()).toBe(0);
    });

    it("shows a runner online within two minutes of its last call, with its capabilities and current job", async () => {
      const { admin } = await people();
      const fresh = await caller(admin).operations.runners.createToken({ name: "fresh" });
      const stale = await caller(admin).operations.runners.createToken({ name: "stale" });
      const seen = new Date(Date.now() - 30_000);
      await db().prisma.runnerToken.update({ where: { id: fresh.runner.id }, data: { lastSeenAt: seen, capabilities } });
      await db().prisma.runnerToken.update({ where: { id: stale.runner.id }, data: { lastSeenAt: new Date(Date.now() - 3 * 60_000), capabilities: { bogus: true } } });
      const job = await enqueue();
      expect((await claimNextJob(db().prisma, fresh.runner.id))?.id).toBe(job.id);

      const { runners } = await caller(admin).operations.runners.list();
      const byName = Object.fromEntries(runners.map((r) => [r.name, r]));
      expect(byName.fresh).toMatchObject({ online: true, lastHeartbeatAt: seen, capabilities, currentJob: { id: job.id, attempts: 1, benchmarkId: "dogscats" } });
      expect(byName.stale).toMatchObject({ online: false, capabilities: null, currentJob: null });
    });
  });

  describe("operations.jobs", () => {
    it("lists jobs newest first in pages, filters by status, counts per status, with runner name, failure reason and scores", async () => {
      const { admin } = await people();
      const { runner } = await caller(admin).operations.runners.createToken({ name: "worker 7" });
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const job = await enqueue(`bench-${i}`);
        await db().prisma.job.update({ where: { id: job.id }, data: { createdAt: new Date(Date.UTC(2026, 0, 1, 0, i)) } });
        ids.push(job.id);
      }
      // Oldest first: bench-0 succeeds, bench-1 fails, bench-2 runs.
      await claimNextJob(db().prisma, runner.id);
      await finishJob(db().prisma, ids[0]!, runner.id, { kind: "complete", body: complete(0.875) });
      await claimNextJob(db().prisma, runner.id);
      await finishJob(db().prisma, ids[1]!, runner.id, { kind: "fail", body: fail("notebook error") });
      await claimNextJob(db().prisma, runner.id);

      const pages = [];
      let cursor: string | null = null;
      do {
        const page: Awaited<ReturnType<ReturnType<typeof caller>["operations"]["jobs"]["list"]>> = await caller(admin).operations.jobs.list({ limit: 2, cursor });
        pages.push(page.items.map((j) => j.benchmarkId));
        cursor = page.nextCursor;
      } while (cursor);
      expect(pages).toEqual([["bench-4", "bench-3"], ["bench-2", "bench-1"], ["bench-0"]]);

      const all = await caller(admin).operations.jobs.list({ limit: 50 });
      expect(all.counts).toEqual({ queued: 2, running: 1, succeeded: 1, failed: 1, cancelled: 0 });
      const byBench = Object.fromEntries(all.items.map((j) => [j.benchmarkId, j]));
      expect(byBench["bench-0"]).toMatchObject({
        status: "succeeded",
        attempts: 1,
        runner: { name: "worker 7" },
        backend: "cuda",
        scores: { public: { accuracy: 0.875 }, private: { accuracy: 0.875, logLoss: 0.3 }, overall: { count: 2 } },
        timings,
      });
      expect(byBench["bench-0"]!.startedAt).toBeInstanceOf(Date);
      expect(byBench["bench-0"]!.finishedAt).toBeInstanceOf(Date);
      expect(byBench["bench-1"]).toMatchObject({ status: "failed", failureReason: "notebook error", lastError: "details of notebook error", scores: null });
      expect(byBench["bench-2"]).toMatchObject({ status: "running", runner: { name: "worker 7" }, finishedAt: null });
      expect(byBench["bench-4"]).toMatchObject({ status: "queued", runner: null, attempts: 0 });

      const failed = await caller(admin).operations.jobs.list({ status: "failed", limit: 10 });
      expect(failed.items.map((j) => j.benchmarkId)).toEqual(["bench-1"]);
      expect(await failure(caller(admin).operations.jobs.list({ limit: 0 }))).toBe("BAD_REQUEST");
      expect(await failure(caller(admin).operations.jobs.list({ limit: 10, status: "lost" as never }))).toBe("BAD_REQUEST");
    });

    it("gets one job with its last 500 log lines in order and, when asked, both notebooks parsed", async () => {
      const { admin } = await people();
      const { runner } = await caller(admin).operations.runners.createToken({ name: "logger" });
      const job = await enqueue();
      await claimNextJob(db().prisma, runner.id);
      const t0 = Date.now();
      const lines = Array.from({ length: 620 }, (_, i) => ({
        at: new Date(t0 + i).toISOString(),
        stream: i % 10 === 0 ? ("stderr" as const) : ("stdout" as const),
        text: `line ${i}`,
      }));
      await heartbeatJob(db().prisma, job.id, runner.id, lines.slice(0, 300));
      await heartbeatJob(db().prisma, job.id, runner.id, lines.slice(300));
      await finishJob(db().prisma, job.id, runner.id, { kind: "complete", body: complete(1) });

      const got = await caller(admin).operations.jobs.get({ id: job.id });
      expect(got.logCount).toBe(621);
      expect(got.logs).toHaveLength(500);
      expect(got.logs[0]!.text).toBe("line 121");
      expect(got.logs.at(-2)!.text).toBe("line 619");
      expect(got.logs.at(-1)).toMatchObject({ text: "scored", stream: "stdout", attempt: 1 });
      expect(got.logs.find((l) => l.text === "line 130")!.stream).toBe("stderr");
      expect(got).toMatchObject({ status: "succeeded", hasExecutedNotebook: true, submissionRows: 2, notebooks: null, runner: { name: "logger" } });
      expect(got.scores?.overall.accuracy).toBe(1);

      const full = await caller(admin).operations.jobs.get({ id: job.id, withNotebooks: true });
      expect(full.notebooks?.executed).toMatchObject({ ok: true, notebook: { cells: [{ outputs: [{ text: "hi\n" }] }] } });
      expect(full.notebooks?.submitted).toMatchObject({ ok: true });

      const broken = await enqueue("dogscats", "{ not json");
      const brokenGot = await caller(admin).operations.jobs.get({ id: broken.id, withNotebooks: true });
      expect(brokenGot.notebooks?.executed).toBeNull();
      expect(brokenGot.notebooks?.submitted).toMatchObject({ ok: false, error: expect.stringMatching(/not valid JSON/) });
      expect(await failure(caller(admin).operations.jobs.get({ id: "missing" }))).toBe("NOT_FOUND");
    });

    it("requeues a finished job from scratch and cancels queued and running jobs", async () => {
      const { admin } = await people();
      const { runner } = await caller(admin).operations.runners.createToken({ name: "r" });
      const ops = caller(admin).operations.jobs;

      const failedJob = await enqueue();
      await claimNextJob(db().prisma, runner.id);
      await finishJob(db().prisma, failedJob.id, runner.id, { kind: "fail", body: fail("timeout") });
      expect(await ops.requeue({ id: failedJob.id })).toEqual({ id: failedJob.id, status: "queued" });
      const requeued = await db().prisma.job.findUniqueOrThrow({ where: { id: failedJob.id } });
      expect(requeued).toMatchObject({ status: "queued", attempts: 0, failureReason: null, lastError: null, finishedAt: null, runnerId: null });
      expect(await failure(ops.requeue({ id: failedJob.id }))).toBe("BAD_REQUEST");

      expect(await ops.cancel({ id: failedJob.id })).toMatchObject({ status: "cancelled" });
      expect(await claimNextJob(db().prisma, runner.id)).toBeNull();
      expect(await failure(ops.cancel({ id: failedJob.id }))).toBe("BAD_REQUEST");

      const running = await enqueue();
      await claimNextJob(db().prisma, runner.id);
      expect(await ops.cancel({ id: running.id })).toMatchObject({ status: "running", cancelRequested: true });
      expect((await heartbeatJob(db().prisma, running.id, runner.id, [])).cancel).toBe(true);

      expect(await failure(ops.cancel({ id: "missing" }))).toBe("NOT_FOUND");
      expect(await failure(ops.requeue({ id: "missing" }))).toBe("NOT_FOUND");
    });

    it("requeues only failed or cancelled jobs: a running or succeeded one is refused with the reason", async () => {
      const { admin } = await people();
      const { runner } = await caller(admin).operations.runners.createToken({ name: "r" });
      const ops = caller(admin).operations.jobs;
      const job = await enqueue();
      await claimNextJob(db().prisma, runner.id);
      await expect(ops.requeue({ id: job.id })).rejects.toThrow(/running; cancel it first/);
      await finishJob(db().prisma, job.id, runner.id, { kind: "complete", body: complete(0.9) });
      await expect(ops.requeue({ id: job.id })).rejects.toThrow(/succeeded and has its score/);
      expect(await db().prisma.job.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ status: "succeeded", attempts: 1 });
    });
  });
});
