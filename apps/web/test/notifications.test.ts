import type { Database, PrismaClient } from "@course/db";
import type { FailRequest } from "@course/runner/protocol";
import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { completion, storeSubmission } from "./homework-support";
import type { PublicUser } from "~/server/auth/users";
import { gradesCsv } from "~/server/grading/export";
import { getAssignment } from "~/server/homework/assignments";
import { recordUnsyncedResults } from "~/server/homework/submissions";
import { isNotificationKind, KIND_NAMES, NOTIFICATION_KINDS, notificationKindSchema, parseKind, UnknownKindError } from "~/server/notifications/kinds";
import { notify } from "~/server/notifications/notify";
import { cancelJob, claimNextJob, expireLeases, finishJob, requeueJob } from "~/server/runner/queue";
import { createRunnerToken } from "~/server/runner/tokens";
import { createCaller } from "~/server/trpc/root";
import { eachBackend } from "./support/backends";

const code = (error: unknown) => (error instanceof TRPCError ? error.code : String(error));
const link = (id: string) => `/homework/submissions/${id}`;

describe("the registry of notification kinds", () => {
  it("knows the homework, grading and wiki kinds, each with a label, description and defaults", () => {
    expect(KIND_NAMES).toEqual(["submission-scored", "submission-failed", "review-returned", "regrade-answered", "regrade-requested", "wiki-page-changed", "forum-reply", "forum-mention", "forum-watched-topic", "forum-solved", "forum-trust-level", "forum-moderation"]);
    for (const kind of KIND_NAMES) {
      const spec = NOTIFICATION_KINDS[kind];
      expect(spec.label.length).toBeGreaterThan(0);
      expect(spec.description.length).toBeGreaterThan(0);
      expect(spec.defaults.inApp).toBe(true);
    }
  });

  it("rejects an unknown kind at run time, with the known ones in the message", () => {
    expect(isNotificationKind("submission-scored")).toBe(true);
    expect(isNotificationKind("toString")).toBe(false); // not fooled by Object.prototype
    expect(() => parseKind("carrier-pigeon")).toThrow(UnknownKindError);
    expect(() => parseKind("carrier-pigeon")).toThrow(/Unknown notification kind "carrier-pigeon"\. Known kinds: submission-scored, /);
    expect(notificationKindSchema.safeParse("carrier-pigeon").error?.issues[0]?.message).toMatch(/Unknown notification kind "carrier-pigeon"/);
  });

  it("rejects an unknown kind at compile time", () => {
    // Never called: the point is that tsc refuses the line (`npx tsc --noEmit -p apps/web` fails without the directive).
    const compileOnly = (tx: Parameters<typeof notify>[0]) => {
      // @ts-expect-error "carrier-pigeon" is not a kind of the registry
      void notify(tx, "u", "carrier-pigeon", { title: "t", body: "b", link: "/x" });
      // @ts-expect-error a kind's payload has a title, body and link
      void notify(tx, "u", "submission-scored", { title: "t" });
    };
    expect(typeof compileOnly).toBe("function");
  });

  it("checks each kind's payload: a title, a body cut to 500 characters, and a link of the kind's page", () => {
    const scored = NOTIFICATION_KINDS["submission-scored"].data;
    expect(scored.parse({ title: "t", body: "x".repeat(600), link: "/homework/submissions/abc" }).body).toHaveLength(500);
    expect(scored.safeParse({ title: "t", body: "", link: "/grading/submissions/abc" }).error?.issues[0]?.message).toMatch(/submission page/);
    expect(scored.safeParse({ title: " ", body: "", link: "/homework/submissions/abc" }).error?.issues[0]?.message).toMatch(/needs a title/);
    expect(NOTIFICATION_KINDS["regrade-requested"].data.safeParse({ title: "t", body: "", link: "https://evil.example/grading/submissions/x" }).success).toBe(false);
  });
});

/** Writes that a read must never make (Prisma operation names). */
const WRITES = new Set(["create", "createMany", "createManyAndReturn", "update", "updateMany", "updateManyAndReturn", "upsert", "delete", "deleteMany", "$executeRaw", "$executeRawUnsafe"]);

/** The same database, through a client that fails the test on any write: what reads are run with below. */
function readOnly(db: Database): Database {
  const prisma = db.prisma.$extends({
    query: {
      $allOperations({ operation, model, args, query }) {
        const raw = operation.startsWith("$queryRaw") && /\b(insert|update|delete)\b/i.test(JSON.stringify(args));
        if (WRITES.has(operation) || raw) throw new Error(`A read wrote to the database: ${model ?? ""}.${operation}`);
        return query(args);
      },
    },
  }) as unknown as PrismaClient;
  return { ...db, prisma };
}

eachBackend((db) => {
  const prisma = () => db().prisma;
  const caller = (user: PublicUser | null, on: Database = db()) => createCaller({ db: on, user, ip: "127.0.0.1" });
  const user = (email: string, role: "student" | "grader" | "admin" = "student") =>
    prisma().user.create({ data: { email, name: email.split("@")[0], role }, select: { id: true, email: true, name: true, role: true } });
  const failure = (reason: FailRequest["reason"], message: string): FailRequest => {
    const { capabilities, timings } = completion([0, 1]);
    return { reason, message, executedNotebook: null, capabilities, timings, logLines: [] };
  };
  async function running(studentId: string) {
    const sub = await storeSubmission(prisma(), studentId, "open-hw");
    const runner = await createRunnerToken(prisma(), `runner ${sub.id}`);
    const job = await claimNextJob(prisma(), runner.record.id);
    expect(job?.id).toBe(sub.jobId);
    return { sub, runnerId: runner.record.id };
  }

  describe("results recorded when the runner's call arrives", () => {
    it("a completed job's submission has its scores and its student's notification as soon as complete returns", async () => {
      const alice = await user("alice@example.com");
      const { sub, runnerId } = await running(alice.id);
      await finishJob(prisma(), sub.jobId, runnerId, { kind: "complete", body: completion([0.25, 0.9], [0.3, 0.88]) });
      // Straight from the tables: nothing was read through a page or procedure in between.
      expect(await prisma().submission.findUniqueOrThrow({ where: { id: sub.id } })).toMatchObject({ publicLogLoss: 0.25, publicAccuracy: 0.9, privateLogLoss: 0.3, syncedAt: expect.any(Date) });
      const notes = await prisma().notification.findMany({ where: { userId: alice.id } });
      expect(notes).toMatchObject([{ kind: "submission-scored", link: link(sub.id), readAt: null }]);
      // The runner retrying its call after a lost response changes nothing.
      await finishJob(prisma(), sub.jobId, runnerId, { kind: "complete", body: completion([0.25, 0.9]) });
      expect(await prisma().notification.count()).toBe(1);
    });

    it("a final failure is recorded on fail; a retryable one waits for the next attempt", async () => {
      const alice = await user("alice@example.com");
      const { sub, runnerId } = await running(alice.id);
      await finishJob(prisma(), sub.jobId, runnerId, { kind: "fail", body: failure("sandbox error", "bwrap died") });
      expect((await prisma().submission.findUniqueOrThrow({ where: { id: sub.id } })).syncedAt).toBeNull();
      expect(await prisma().notification.count()).toBe(0);
      const again = await claimNextJob(prisma(), runnerId);
      await finishJob(prisma(), again!.id, runnerId, { kind: "fail", body: failure("notebook error", "ReferenceError: x") });
      expect((await prisma().submission.findUniqueOrThrow({ where: { id: sub.id } })).syncedAt).toEqual(expect.any(Date));
      expect(await prisma().notification.findMany({ where: { userId: alice.id } })).toMatchObject([{ kind: "submission-failed", body: "ReferenceError: x" }]);
    });

    it("a lease that expires on the last attempt, and an operator's cancel, tell the student at once", async () => {
      const alice = await user("alice@example.com");
      const { sub } = await running(alice.id);
      await prisma().job.update({ where: { id: sub.jobId }, data: { maxAttempts: 1, leaseExpiresAt: new Date(Date.now() - 1000) } });
      expect(await expireLeases(prisma())).toEqual({ requeued: 0, failed: 1 });
      expect(await prisma().notification.findMany({ where: { userId: alice.id } })).toMatchObject([{ kind: "submission-failed", title: expect.stringContaining("failed: internal error") }]);

      const queued = await storeSubmission(prisma(), alice.id, "open-hw");
      await cancelJob(prisma(), queued.jobId);
      const cancelled = await prisma().notification.findFirstOrThrow({ where: { link: link(queued.id) } });
      expect(cancelled).toMatchObject({ kind: "submission-failed", title: expect.stringContaining("was cancelled") });
    });

    it("a requeued job's new result replaces the old one and is notified again", async () => {
      const alice = await user("alice@example.com");
      const { sub, runnerId } = await running(alice.id);
      await finishJob(prisma(), sub.jobId, runnerId, { kind: "fail", body: failure("timeout", "too slow") });
      await requeueJob(prisma(), sub.jobId);
      expect((await prisma().submission.findUniqueOrThrow({ where: { id: sub.id } })).syncedAt).toBeNull();
      await claimNextJob(prisma(), runnerId);
      await finishJob(prisma(), sub.jobId, runnerId, { kind: "complete", body: completion([0.4, 0.8]) });
      expect((await prisma().submission.findUniqueOrThrow({ where: { id: sub.id } })).publicLogLoss).toBe(0.4);
      const kinds = (await prisma().notification.findMany({ where: { userId: alice.id }, orderBy: { createdAt: "asc" } })).map((n) => n.kind);
      expect(kinds).toEqual(["submission-failed", "submission-scored"]);
    });

    it("catches up, once, on results that an older version left for reads to copy", async () => {
      const alice = await user("alice@example.com");
      const sub = await storeSubmission(prisma(), alice.id, "open-hw");
      const done = completion([0.2, 0.9]);
      await prisma().job.update({ where: { id: sub.jobId }, data: { status: "succeeded", result: { scores: done.scores }, finishedAt: new Date() } });
      expect(await recordUnsyncedResults(prisma())).toBe(1);
      expect(await recordUnsyncedResults(prisma())).toBe(0);
      expect((await prisma().submission.findUniqueOrThrow({ where: { id: sub.id } })).publicLogLoss).toBe(0.2);
      expect(await prisma().notification.count({ where: { userId: alice.id, kind: "submission-scored" } })).toBe(1);
    });
  });

  describe("reads", () => {
    it("write nothing: submission views, leaderboard, grading queue, export and notifications", async () => {
      const alice = await user("alice@example.com");
      const grader = await user("grader@example.com", "grader");
      const sub = await storeSubmission(prisma(), alice.id, "open-hw");
      // A finished job whose result is not recorded yet (as an older version left it): reads must not record it.
      const done = completion([0.2, 0.9]);
      await prisma().job.update({ where: { id: sub.jobId }, data: { status: "succeeded", result: { scores: done.scores }, finishedAt: new Date() } });
      const ro = readOnly(db());
      await caller(alice, ro).homework.mySubmissions({ slug: "open-hw" });
      await caller(alice, ro).homework.submission({ id: sub.id });
      await caller(null, ro).leaderboard.get({ slug: "open-hw" });
      await caller(grader, ro).grading.queue({});
      await gradesCsv(ro.prisma, (await getAssignment("open-hw"))!, "all");
      expect(await caller(alice, ro).notifications.unreadCount()).toBe(0);
      expect(await caller(alice, ro).notifications.list()).toEqual([]);
      await caller(alice, ro).notifications.preferences();
      expect((await prisma().submission.findUniqueOrThrow({ where: { id: sub.id } })).syncedAt).toBeNull();
      expect(await prisma().notification.count()).toBe(0);
      // The guard itself works: a write through it fails.
      await expect(caller(alice, ro).notifications.markRead({})).rejects.toThrow(/A read wrote to the database: Notification\.updateMany/);
    });
  });

  describe("notify()", () => {
    it("creates one row per recipient, and nothing twice for one dedupe key", async () => {
      const alice = await user("alice@example.com");
      const bob = await user("bob@example.com");
      const data = { title: "Scored", body: "b", link: "/homework/submissions/s1" };
      expect(await notify(prisma(), alice.id, "submission-scored", data, { dedupeKey: "k1" })).toBe(1);
      expect(await notify(prisma(), alice.id, "submission-scored", data, { dedupeKey: "k1" })).toBe(0);
      expect(await notify(prisma(), [alice.id, bob.id, bob.id], "submission-scored", data, { dedupeKey: "k1" })).toBe(1); // bob only
      expect(await notify(prisma(), alice.id, "submission-scored", data)).toBe(1); // no key: no dedupe
      expect(await prisma().notification.count({ where: { userId: alice.id } })).toBe(2);
      expect(await prisma().notification.count({ where: { userId: bob.id } })).toBe(1);
      // A kind that slipped past the types (plain JavaScript, a cast string) is refused at run time too.
      const untyped = notify as (...args: unknown[]) => Promise<number>;
      await expect(untyped(prisma(), alice.id, "carrier-pigeon", data)).rejects.toThrow(UnknownKindError);
      await expect(notify(prisma(), alice.id, "submission-scored", { ...data, link: "https://evil.example/" })).rejects.toThrow(/submission page/);
    });

    it("honours a user's preference: a kind turned off in-app creates no row for them, others still get it", async () => {
      const alice = await user("alice@example.com");
      const bob = await user("bob@example.com");
      expect(await caller(alice).notifications.setPreference({ kind: "submission-scored", inApp: false })).toMatchObject({ kind: "submission-scored", inApp: false, email: false });
      const prefs = await caller(alice).notifications.preferences();
      expect(prefs.find((p) => p.kind === "submission-scored")).toMatchObject({ inApp: false, mandatory: false });
      // Through the real write path: the runner completes alice's and bob's jobs.
      for (const who of [alice, bob]) {
        const { sub, runnerId } = await running(who.id);
        await finishJob(prisma(), sub.jobId, runnerId, { kind: "complete", body: completion([0.3, 0.9]) });
        expect((await prisma().submission.findUniqueOrThrow({ where: { id: sub.id } })).publicLogLoss).toBe(0.3); // scores either way
      }
      expect(await prisma().notification.count({ where: { userId: alice.id } })).toBe(0);
      expect(await prisma().notification.count({ where: { userId: bob.id, kind: "submission-scored" } })).toBe(1);
      // Turned back on: the next one arrives; the email choice is kept separately.
      await caller(alice).notifications.setPreference({ kind: "submission-scored", email: true });
      expect((await caller(alice).notifications.preferences()).find((p) => p.kind === "submission-scored")).toMatchObject({ inApp: false, email: true });
      await caller(alice).notifications.setPreference({ kind: "submission-scored", inApp: true });
      expect(await notify(prisma(), alice.id, "submission-scored", { title: "t", body: "", link: link("x") })).toBe(1);
    });

    it("keeps mandatory kinds on, and offers graders' kinds to graders only", async () => {
      const alice = await user("alice@example.com");
      const grader = await user("grader@example.com", "grader");
      const err = await caller(alice).notifications.setPreference({ kind: "review-returned", inApp: false }).catch((e: unknown) => e);
      expect(code(err)).toBe("BAD_REQUEST");
      expect((err as Error).message).toMatch(/always shown on the site/);
      expect(code(await caller(alice).notifications.setPreference({ kind: "regrade-requested", inApp: false }).catch((e: unknown) => e))).toBe("BAD_REQUEST");
      expect(code(await caller(alice).notifications.setPreference({ kind: "submission-scored" }).catch((e: unknown) => e))).toBe("BAD_REQUEST");
      expect(code(await caller(alice).notifications.setPreference({ kind: "nope" as never, inApp: true }).catch((e: unknown) => e))).toBe("BAD_REQUEST");
      expect((await caller(alice).notifications.preferences()).map((p) => p.kind)).not.toContain("regrade-requested");
      expect((await caller(grader).notifications.preferences()).map((p) => p.kind)).toContain("regrade-requested");
      await caller(grader).notifications.setPreference({ kind: "regrade-requested", inApp: false });
      // Graders who turned regrade requests off get none; the mandatory review-returned reaches alice regardless.
      expect(await notify(prisma(), [grader.id], "regrade-requested", { title: "t", body: "why", link: "/grading/submissions/s" })).toBe(0);
      expect(await notify(prisma(), alice.id, "review-returned", { title: "t", body: "", link: link("s") })).toBe(1);
    });
  });
});
