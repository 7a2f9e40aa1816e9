import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { completion, notebookText, storeSubmission, uploadRequest } from "./homework-support";
import { signUpWithPassword, type PublicUser } from "~/server/auth/users";
import { getAssignments } from "~/server/homework/assignments";
import { handleSubmissionUpload } from "~/server/homework/upload";
import { claimNextJob, finishJob, heartbeatJob } from "~/server/runner/queue";
import { createRunnerToken } from "~/server/runner/tokens";
import { createCaller } from "~/server/trpc/root";
import { eachBackend } from "./support/backends";

const password = "a sound passphrase";
const code = (error: unknown) => (error instanceof TRPCError ? error.code : String(error));

eachBackend((db) => {
  const prisma = () => db().prisma;
  const caller = (user: PublicUser | null) => createCaller({ db: db(), user, ip: "127.0.0.1" });
  const upload = async (user: PublicUser, name = "hw.ipynb") => {
    const res = await handleSubmissionUpload(uploadRequest({ file: notebookText(), name, assignment: "open-hw" }), { prisma: prisma(), user, assignments: await getAssignments() });
    expect(res.status).toBe(201);
    return ((await res.json()) as { id: string; jobId: string }).id;
  };
  async function people() {
    await signUpWithPassword(prisma(), { email: "admin@example.com", password });
    const alice = await signUpWithPassword(prisma(), { email: "alice@example.com", password });
    const bob = await signUpWithPassword(prisma(), { email: "bob@example.com", password });
    const graderRow = await signUpWithPassword(prisma(), { email: "grader@example.com", password });
    const grader = await prisma().user.update({ where: { id: graderRow.id }, data: { role: "grader" }, select: { id: true, email: true, name: true, role: true } });
    return { alice, bob, grader };
  }

  describe("homework procedures", () => {
    it("show the assignment with limits and what is left today", async () => {
      const { alice } = await people();
      const a = await caller(null).homework.assignment({ slug: "open-hw" });
      expect(a).toMatchObject({ title: "open-hw title", dailyLimit: 2, maxFileBytes: 100 * 1024, closed: false, usedToday: null, templateExists: true });
      await upload(alice);
      await upload(alice);
      const mine = await caller(alice).homework.assignment({ slug: "open-hw" });
      expect(mine.usedToday).toBe(2);
      expect(mine.nextAllowedAt?.getUTCHours()).toBe(0);
      expect((await caller(null).homework.assignment({ slug: "closed-hw" })).closed).toBe(true);
      expect(code(await caller(null).homework.assignment({ slug: "nope" }).catch((e: unknown) => e))).toBe("NOT_FOUND");
    });

    it("follow a submission from queued (with its place) to running (cell and log) to scored, and notify once", async () => {
      const { alice, bob } = await people();
      await upload(bob, "bob.ipynb");
      const id = await upload(alice, "alice.ipynb");
      let [view] = (await caller(alice).homework.mySubmissions({ slug: "open-hw" })).items;
      expect(view).toMatchObject({ id, state: "queued", queuePosition: 2, fileName: "alice.ipynb" });

      const runner = await createRunnerToken(prisma(), "r");
      await claimNextJob(prisma(), runner.record.id); // bob's
      view = (await caller(alice).homework.mySubmissions({ slug: "open-hw" })).items[0];
      expect(view).toMatchObject({ state: "queued", queuePosition: 1 });

      const job = await claimNextJob(prisma(), runner.record.id);
      const at = new Date().toISOString();
      const lines = Array.from({ length: 25 }, (_, i) => ({ at, stream: "stdout" as const, text: `line ${i}` }));
      await heartbeatJob(prisma(), job!.id, runner.record.id, [...lines, { at, stream: "runner", text: "cell 3/4" }]);
      const list = await caller(alice).homework.mySubmissions({ slug: "open-hw" });
      expect(list.active).toBe(true);
      view = list.items[0];
      expect(view).toMatchObject({ state: "running", queuePosition: null, progress: { cell: 3, count: 4 } });
      // The notebook's own output only: the runner's line counts for the progress, not for the log.
      expect(view!.logTail).toHaveLength(20);
      expect(view!.logTail.at(-1)?.text).toBe("line 24");

      await finishJob(prisma(), job!.id, runner.record.id, { kind: "complete", body: completion([0.25, 0.9], [0.3, 0.88]) });
      const done = await caller(alice).homework.mySubmissions({ slug: "open-hw" });
      expect(done.items[0]).toMatchObject({ state: "scored", publicScore: { logLoss: 0.25, accuracy: 0.9 }, privateScore: null, hasExecutedNotebook: true, hasSubmissionCsv: true });
      expect(await prisma().submission.findUniqueOrThrow({ where: { id } })).toMatchObject({ publicLogLoss: 0.25, privateLogLoss: 0.3 });

      // Listing again, and the badge count, do not notify twice.
      await caller(alice).homework.mySubmissions({ slug: "open-hw" });
      expect(await caller(alice).notifications.unreadCount()).toBe(1);
      const [note] = await caller(alice).notifications.list();
      expect(note).toMatchObject({ kind: "submission-scored", link: `/homework/submissions/${id}`, readAt: null });
      expect(note!.title).toMatch(/alice\.ipynb was scored: log loss 0\.2500/);
      expect(await caller(bob).notifications.list()).toEqual([]);
    });

    it("show a failed submission with its reason and notify the student", async () => {
      const { alice } = await people();
      await upload(alice);
      const runner = await createRunnerToken(prisma(), "r");
      const job = await claimNextJob(prisma(), runner.record.id);
      const { capabilities, timings } = completion([0, 1]);
      await finishJob(prisma(), job!.id, runner.record.id, { kind: "fail", body: { reason: "notebook error", message: "ReferenceError: x is not defined (cell 2)", executedNotebook: null, capabilities, timings, logLines: [] } });
      const [view] = (await caller(alice).homework.mySubmissions({ slug: "open-hw" })).items;
      expect(view).toMatchObject({ state: "failed", failureReason: "notebook error", lastError: "ReferenceError: x is not defined (cell 2)", publicScore: null });
      const [note] = await caller(alice).notifications.list();
      expect(note).toMatchObject({ kind: "submission-failed", title: expect.stringMatching(/^hw\.ipynb failed: notebook error \(submission #1, .* UTC\)$/) });
    });

    it("never show one student's submission to another, but show it to graders", async () => {
      const { alice, bob, grader } = await people();
      const id = await upload(alice);
      expect((await caller(alice).homework.submission({ id })).mine).toBe(true);
      expect(code(await caller(bob).homework.submission({ id }).catch((e: unknown) => e))).toBe("NOT_FOUND");
      expect(code(await caller(null).homework.submission({ id }).catch((e: unknown) => e))).toBe("UNAUTHORIZED");
      expect((await caller(grader).homework.submission({ id })).mine).toBe(false);
      expect((await caller(bob).homework.mySubmissions({ slug: "open-hw" })).items).toEqual([]);
      expect(code(await caller(bob).homework.setFinal({ id, final: true }).catch((e: unknown) => e))).toBe("NOT_FOUND");
      expect(code(await caller(null).homework.mySubmissions({ slug: "open-hw" }).catch((e: unknown) => e))).toBe("UNAUTHORIZED");
    });

    it("let a student choose up to two finals and refuse a third clearly", async () => {
      const { alice } = await people();
      const ids = [await upload(alice), await upload(alice), (await storeSubmission(prisma(), alice.id, "open-hw")).id];
      const unscored = await caller(alice).homework.setFinal({ id: ids[0]!, final: true }).catch((e: unknown) => e);
      expect((unscored as Error).message).toBe("Only scored submissions can be chosen as finals.");
      const { scoreJob } = await import("./homework-support");
      for (const s of await prisma().submission.findMany()) await scoreJob(prisma(), s.jobId, [0.3, 0.9]);
      await caller(alice).homework.setFinal({ id: ids[0]!, final: true });
      await caller(alice).homework.setFinal({ id: ids[1]!, final: true });
      const third = await caller(alice).homework.setFinal({ id: ids[2]!, final: true }).catch((e: unknown) => e);
      expect(code(third)).toBe("BAD_REQUEST");
      expect((third as Error).message).toBe("You already chose 2 final submissions. Unmark one before choosing another.");
      await caller(alice).homework.setFinal({ id: ids[0]!, final: false });
      await caller(alice).homework.setFinal({ id: ids[2]!, final: true });
      expect((await prisma().submission.findMany({ where: { finalChoice: true }, orderBy: { createdAt: "asc" } })).map((s) => s.id).sort()).toEqual([ids[1], ids[2]].sort());
    });

    it("hide private scores from students until the deadline, and lock finals after it", async () => {
      const { alice, grader } = await people();
      const closed = await storeSubmission(prisma(), alice.id, "closed-hw");
      const open = await storeSubmission(prisma(), alice.id, "open-hw");
      const { scoreJob } = await import("./homework-support");
      await scoreJob(prisma(), closed.jobId, [0.2, 0.9], [0.4, 0.8]);
      await scoreJob(prisma(), open.jobId, [0.2, 0.9], [0.4, 0.8]);
      expect((await caller(alice).homework.submission({ id: open.id })).privateScore).toBeNull();
      expect((await caller(grader).homework.submission({ id: open.id })).privateScore).toEqual({ logLoss: 0.4, accuracy: 0.8 });
      expect((await caller(alice).homework.submission({ id: closed.id })).privateScore).toEqual({ logLoss: 0.4, accuracy: 0.8 });
      expect(code(await caller(alice).homework.setFinal({ id: closed.id, final: true }).catch((e: unknown) => e))).toBe("BAD_REQUEST");
    });

    it("serve the template notebook to anyone, and 404 for an unknown assignment", async () => {
      const { GET } = await import("~/app/homework/[slug]/template.ipynb/route");
      const res = await GET(new Request("http://localhost/homework/open-hw/template.ipynb"), { params: Promise.resolve({ slug: "open-hw" }) });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/x-ipynb+json; charset=utf-8");
      expect(res.headers.get("content-disposition")).toBe('attachment; filename="lesson-1.ipynb"');
      expect(await res.text()).toBe("{}");
      const missing = await GET(new Request("http://localhost/homework/nope/template.ipynb"), { params: Promise.resolve({ slug: "nope" }) });
      expect(missing.status).toBe(404);
    });

    it("tell two scored notifications apart (number, time, score) and mark read those that link to an opened page", async () => {
      const { alice, bob } = await people();
      const first = await upload(alice, "same.ipynb");
      const second = await upload(alice, "same.ipynb");
      const runner = await createRunnerToken(prisma(), "r");
      for (const [logLoss, accuracy] of [[0.31, 0.9], [0.27, 0.92]] as const) {
        const job = await claimNextJob(prisma(), runner.record.id);
        await finishJob(prisma(), job!.id, runner.record.id, { kind: "complete", body: completion([logLoss, accuracy]) });
      }
      const notes = await caller(alice).notifications.list();
      const byLink = (id: string) => notes.find((n) => n.link === `/homework/submissions/${id}`)!;
      expect(byLink(first).title).toMatch(/^same\.ipynb was scored: log loss 0\.31000 \(submission #1, \d{4}-\d\d-\d\d \d\d:\d\d UTC\)$/);
      expect(byLink(second).title).toMatch(/^same\.ipynb was scored: log loss 0\.27000 \(submission #2, /);
      expect(byLink(second).body).toMatch(/submission #2, .*public log loss 0\.27000, accuracy 92\.00%/);
      expect(new Set(notes.map((n) => `${n.title} ${n.body}`)).size).toBe(2);

      // Opening the first submission's page marks its notification read, and only that one; never another user's.
      const other = await prisma().notification.create({ data: { userId: bob.id, kind: "x", title: "t", body: "b", link: `/homework/submissions/${first}` } });
      expect(await caller(alice).notifications.markRead({ link: `/homework/submissions/${first}` })).toEqual({ marked: 1 });
      expect(await caller(alice).notifications.unreadCount()).toBe(1);
      expect((await prisma().notification.findUniqueOrThrow({ where: { id: other.id } })).readAt).toBeNull();
      await expect(caller(alice).notifications.markRead({ link: "https://evil.example/x" })).rejects.toThrow(/path on this site/);
    });

    it("keep a leaderboard profile per student and mark only their own notifications read", async () => {
      const { alice, bob } = await people();
      expect(await caller(alice).homework.profile()).toMatchObject({ displayName: null, anonymous: false });
      await caller(alice).homework.updateProfile({ displayName: "  Ada  ", anonymous: true });
      expect(await caller(alice).homework.profile()).toMatchObject({ displayName: "Ada", anonymous: true });
      await caller(alice).homework.updateProfile({ displayName: "", anonymous: false });
      expect(await caller(alice).homework.profile()).toMatchObject({ displayName: null, anonymous: false });

      const note = await prisma().notification.create({ data: { userId: alice.id, kind: "x", title: "t", body: "b" } });
      expect(await caller(bob).notifications.markRead({ ids: [note.id] })).toEqual({ marked: 0 });
      expect(await caller(alice).notifications.unreadCount()).toBe(1);
      expect(await caller(alice).notifications.markRead({})).toEqual({ marked: 1 });
      expect(await caller(alice).notifications.unreadCount()).toBe(0);
    });
  });
});
