import type { CompleteRequest, FailRequest } from "@course/runner/protocol";
import { describe, expect, it } from "vitest";
import { cancelJob, claimNextJob, enqueueJob, expireLeases, finishJob, heartbeatJob, LeaseLostError } from "~/server/runner/queue";
import { authenticateRunner, createRunnerToken, hashRunnerToken, revokeRunnerToken } from "~/server/runner/tokens";
import { eachBackend } from "./support/backends";

const capabilities = {
  runnerName: "test",
  runnerVersion: "0",
  cpuModel: "cpu",
  cpuCount: 2,
  memoryBytes: 1,
  gpu: null,
  backend: "onnxruntime-cpu",
  platform: "linux",
  sandbox: "bubblewrap" as const,
};
const timings = { setupMs: 1, executeMs: 2, scoreMs: 3, totalMs: 6 };
const metrics = { count: 10, accuracy: 0.9, logLoss: 0.2 };
const complete: CompleteRequest = {
  executedNotebook: "{}",
  submissionCsv: "id,label\n1,0.9\n",
  scores: { overall: metrics, public: metrics, private: metrics },
  capabilities,
  backend: "onnxruntime-cpu",
  timings,
  logLines: [{ at: new Date().toISOString(), stream: "stdout", text: "done" }],
};
const failure = (reason: FailRequest["reason"]): FailRequest => ({
  reason,
  message: `it broke: ${reason}`,
  executedNotebook: null,
  capabilities,
  timings,
  logLines: [],
});

eachBackend((db) => {
  async function runners() {
    const a = await createRunnerToken(db().prisma, "runner A");
    const b = await createRunnerToken(db().prisma, "runner B");
    return { a: a.record.id, b: b.record.id };
  }
  const expireNow = (id: string) => db().prisma.job.update({ where: { id }, data: { leaseExpiresAt: new Date(Date.now() - 1000) } });

  describe("runner tokens", () => {
    it("are shown once, stored only as a hash, and stop working when revoked", async () => {
      const { token, record } = await createRunnerToken(db().prisma, "gpu box");
      expect(token).toMatch(/^crt_[A-Za-z0-9_-]{32}$/);
      const row = await db().prisma.runnerToken.findUniqueOrThrow({ where: { id: record.id } });
      expect(row.tokenHash).toBe(hashRunnerToken(token));
      expect(JSON.stringify(row)).not.toContain(token);
      expect((await authenticateRunner(db().prisma, `Bearer ${token}`))?.id).toBe(record.id);
      expect(await authenticateRunner(db().prisma, `Bearer ${token}x`)).toBeNull();
      expect(await authenticateRunner(db().prisma, token)).toBeNull();
      expect(await authenticateRunner(db().prisma, null)).toBeNull();
      await revokeRunnerToken(db().prisma, record.prefix);
      expect(await authenticateRunner(db().prisma, `Bearer ${token}`)).toBeNull();
    });
  });

  describe("the job queue", () => {
    it("hands each job to exactly one of several concurrent claimers, oldest first", async () => {
      const { a, b } = await runners();
      const ids: string[] = [];
      for (let i = 0; i < 6; i++) ids.push((await enqueueJob(db().prisma, { notebook: `{"n":${i}}`, benchmarkId: "dogscats" })).id);
      const claims = await Promise.all(Array.from({ length: 10 }, (_, i) => claimNextJob(db().prisma, i % 2 ? a : b)));
      const claimed = claims.filter((c) => c !== null).map((c) => c.id);
      expect(claimed.sort()).toEqual([...ids].sort());
      expect(new Set(claimed).size).toBe(6);
      expect(await claimNextJob(db().prisma, a)).toBeNull();
      expect(claims.find((c) => c?.id === ids[0])).toMatchObject({ attempts: 1, benchmarkId: "dogscats", notebook: '{"n":0}' });
    });

    it("extends the lease on heartbeat, stores log lines, and refuses another runner", async () => {
      const { a, b } = await runners();
      const { id } = await enqueueJob(db().prisma, { notebook: "{}", benchmarkId: "x", leaseSeconds: 30 });
      await claimNextJob(db().prisma, a);
      const before = (await db().prisma.job.findUniqueOrThrow({ where: { id } })).leaseExpiresAt!;
      await new Promise((r) => setTimeout(r, 20));
      const beat = await heartbeatJob(db().prisma, id, a, [{ at: new Date().toISOString(), stream: "stdout", text: "cell 1 of 3" }]);
      expect(beat.cancel).toBe(false);
      expect(beat.leaseExpiresAt.getTime()).toBeGreaterThan(before.getTime());
      expect((await db().prisma.jobLog.findMany({ where: { jobId: id } })).map((l) => l.text)).toEqual(["cell 1 of 3"]);
      await expect(heartbeatJob(db().prisma, id, b, [])).rejects.toBeInstanceOf(LeaseLostError);
    });

    it("requeues a job whose runner died, lets another finish it exactly once, and drops the dead runner's late result", async () => {
      const { a, b } = await runners();
      const { id } = await enqueueJob(db().prisma, { notebook: "{}", benchmarkId: "x" });
      await claimNextJob(db().prisma, a);
      await expireNow(id);
      const second = await claimNextJob(db().prisma, b);
      expect(second).toMatchObject({ id, attempts: 2 });
      await expect(finishJob(db().prisma, id, a, { kind: "complete", body: complete })).rejects.toBeInstanceOf(LeaseLostError);
      await expect(finishJob(db().prisma, id, b, { kind: "complete", body: complete })).resolves.toMatchObject({ duplicate: false });
      await expect(finishJob(db().prisma, id, b, { kind: "complete", body: complete })).resolves.toMatchObject({ duplicate: true });
      const job = await db().prisma.job.findUniqueOrThrow({ where: { id } });
      expect(job.status).toBe("succeeded");
      expect(job.result).toMatchObject({ backend: "onnxruntime-cpu", scores: { public: metrics } });
      expect(await db().prisma.jobLog.count({ where: { jobId: id } })).toBe(1);
    });

    it("fails a job for good after its last attempt, with the last reason", async () => {
      const { a } = await runners();
      const { id } = await enqueueJob(db().prisma, { notebook: "{}", benchmarkId: "x", maxAttempts: 2 });
      await claimNextJob(db().prisma, a);
      await finishJob(db().prisma, id, a, { kind: "fail", body: failure("sandbox error") });
      expect((await db().prisma.job.findUniqueOrThrow({ where: { id } })).status).toBe("queued");
      await claimNextJob(db().prisma, a);
      await expireNow(id);
      expect(await expireLeases(db().prisma)).toEqual({ requeued: 0, failed: 1 });
      const job = await db().prisma.job.findUniqueOrThrow({ where: { id } });
      expect(job.status).toBe("failed");
      expect(job.lastError).toBe("Gave up after 2 attempts. Last: Attempt 1: sandbox error: it broke: sandbox error");
      expect(await claimNextJob(db().prisma, a)).toBeNull();
    });

    it("does not retry a notebook's own failure", async () => {
      const { a } = await runners();
      const { id } = await enqueueJob(db().prisma, { notebook: "{}", benchmarkId: "x" });
      await claimNextJob(db().prisma, a);
      await finishJob(db().prisma, id, a, { kind: "fail", body: failure("invalid submission") });
      const job = await db().prisma.job.findUniqueOrThrow({ where: { id } });
      expect(job).toMatchObject({ status: "failed", failureReason: "invalid submission", lastError: "it broke: invalid submission" });
      await expect(finishJob(db().prisma, id, a, { kind: "fail", body: failure("invalid submission") })).resolves.toMatchObject({ duplicate: true });
    });

    it("cancels a queued job at once and asks a running one to stop", async () => {
      const { a } = await runners();
      const queued = await enqueueJob(db().prisma, { notebook: "{}", benchmarkId: "x" });
      await cancelJob(db().prisma, queued.id);
      expect(await claimNextJob(db().prisma, a)).toBeNull();
      const running = await enqueueJob(db().prisma, { notebook: "{}", benchmarkId: "x" });
      await claimNextJob(db().prisma, a);
      await cancelJob(db().prisma, running.id);
      expect((await heartbeatJob(db().prisma, running.id, a, [])).cancel).toBe(true);
      await finishJob(db().prisma, running.id, a, { kind: "fail", body: failure("cancelled") });
      expect((await db().prisma.job.findUniqueOrThrow({ where: { id: running.id } })).status).toBe("cancelled");
    });
  });
});
