import fs from "node:fs";
import path from "node:path";
import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { contentRoot, scoreJob, storeSubmission } from "./homework-support";
import { signUpWithPassword, type PublicUser } from "~/server/auth/users";
import { csvCell, toCsv } from "~/server/grading/csv";
import { handleGradesExport } from "~/server/grading/export";
import { checkRubricScores } from "~/server/grading/rubric";
import { DomainError } from "~/server/errors";
import { getAssignments } from "~/server/homework/assignments";
import { commentForEdit } from "~/server/revisions/feedback";
import { createCaller } from "~/server/trpc/root";
import { eachBackend } from "./support/backends";

// An assignment with a two-criterion rubric, beside homework-support's ones.
fs.writeFileSync(
  path.join(contentRoot, "homework/graded-hw.yaml"),
  `slug: graded-hw
lesson: lesson-1
title: "Graded homework"
benchmark: dogscats
template: lesson-1.ipynb
deadline: "2099-01-01T00:00:00Z"
daily_limit: 2
max_file_size: 100 KiB
rubric:
  - id: runs
    title: Runs
    description: It runs.
    max_points: 4
  - id: explains
    title: Explains
    description: It explains.
    max_points: 2
`,
);

const password = "a sound passphrase";
const code = (error: unknown) => (error instanceof TRPCError ? error.code : String(error));
const fails = (p: Promise<unknown>) => p.then(() => "resolved", code);

describe("rubric scores and CSV cells", () => {
  const rubric = [
    { id: "runs", title: "Runs", description: "", maxPoints: 4 },
    { id: "explains", title: "Explains", description: "", maxPoints: 2 },
  ];
  it("accepts points within 0..maxPoints and refuses unknown criteria, out of range values and gaps on return", () => {
    expect(checkRubricScores(rubric, { runs: 3.5, explains: 0 }, true)).toEqual({ runs: 3.5, explains: 0 });
    expect(checkRubricScores(rubric, { runs: 2, explains: null }, false)).toEqual({ runs: 2 });
    expect(() => checkRubricScores(rubric, { runs: 5 }, false)).toThrow(/between 0 and 4/);
    expect(() => checkRubricScores(rubric, { runs: -1 }, false)).toThrow(DomainError);
    expect(() => checkRubricScores(rubric, { runs: Number.NaN }, false)).toThrow(DomainError);
    expect(() => checkRubricScores(rubric, { style: 1 }, false)).toThrow(/Unknown rubric criterion "style"/);
    expect(() => checkRubricScores(rubric, { runs: 4 }, true)).toThrow(/Score every criterion before returning: Explains/);
  });

  it("quotes commas, quotes and line breaks, and defuses formulas", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell('Ann "the cat", Jr.')).toBe('"Ann ""the cat"", Jr."');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    expect(csvCell("=HYPERLINK(\"x\")")).toBe('"\'=HYPERLINK(""x"")"');
    for (const bad of ["+1", "-2+3", "@SUM(A1)", "\tx"]) expect(csvCell(bad).replace(/^"/, "").startsWith("'")).toBe(true);
    expect(csvCell(0.25)).toBe("0.25");
    expect(csvCell(null)).toBe("");
    expect(toCsv(["a", "b"], [[1, "x,y"]])).toBe('a,b\r\n1,"x,y"\r\n');
  });
});

eachBackend((db) => {
  const prisma = () => db().prisma;
  const caller = (user: PublicUser | null) => createCaller({ db: db(), user, ip: "127.0.0.1" });
  async function people() {
    const admin = await signUpWithPassword(prisma(), { email: "admin@example.com", password });
    const alice = await signUpWithPassword(prisma(), { email: "alice@example.com", password, name: "=Alice, \"A\"" });
    const bob = await signUpWithPassword(prisma(), { email: "bob@example.com", password });
    const g = await signUpWithPassword(prisma(), { email: "grader@example.com", password });
    const grader = await prisma().user.update({ where: { id: g.id }, data: { role: "grader" }, select: { id: true, email: true, name: true, role: true } });
    const g2 = await signUpWithPassword(prisma(), { email: "grader2@example.com", password });
    const grader2 = await prisma().user.update({ where: { id: g2.id }, data: { role: "grader" }, select: { id: true, email: true, name: true, role: true } });
    return { admin, alice, bob, grader, grader2 };
  }
  type Caller = ReturnType<typeof caller>;
  /** Saves a review from the revision the grader's page shows (as the review form does). */
  async function saveReview(c: Caller, input: Omit<Parameters<Caller["grading"]["saveReview"]>[0], "feedbackBaseNumber">) {
    const { feedback } = await c.grading.submission({ id: input.submissionId });
    const result = await c.grading.saveReview({ ...input, feedbackBaseNumber: feedback.baseNumber });
    if (result.outcome !== "saved") throw new Error(`expected a saved review, got ${JSON.stringify(result)}`);
    return result;
  }
  async function editComment(c: Caller, input: { id: string; body: string }) {
    const { baseNumber } = await commentForEdit(prisma(), input.id);
    const result = await c.grading.editComment({ ...input, baseNumber });
    if (result.outcome !== "saved") throw new Error(`expected a saved comment, got ${JSON.stringify(result)}`);
    return result;
  }
  async function scored(userId: string, createdAt = new Date()) {
    const sub = await storeSubmission(prisma(), userId, "graded-hw", createdAt);
    await scoreJob(prisma(), sub.jobId, [0.2, 0.9], [0.3, 0.85]);
    return sub;
  }

  describe("reviews", () => {
    it("keeps a draft from the student, then returns it with scores, feedback and a notification", async () => {
      const { alice, grader } = await people();
      const sub = await scored(alice.id);
      const g = caller(grader);
      await saveReview(g, { submissionId: sub.id, scores: { runs: 3 }, feedback: "Draft *thoughts*", action: "draft" });
      const draftSeen = await caller(alice).grading.myFeedback({ submissionId: sub.id });
      expect(draftSeen.review).toBeNull();
      expect(draftSeen.canRequestRegrade).toBe(false);
      expect(await prisma().notification.count({ where: { userId: alice.id, kind: "review-returned" } })).toBe(0);

      expect(await fails(saveReview(g, { submissionId: sub.id, scores: { runs: 3 }, feedback: "", action: "return" }))).toBe("BAD_REQUEST");
      expect(await fails(saveReview(g, { submissionId: sub.id, scores: { runs: 9, explains: 1 }, feedback: "", action: "draft" }))).toBe("BAD_REQUEST");
      const returned = await saveReview(g, { submissionId: sub.id, scores: { runs: 3, explains: 1.5 }, feedback: "Good **work**", action: "return" });
      expect(returned.status).toBe("returned");
      expect(returned.returnedAt).toBeInstanceOf(Date);

      const seen = await caller(alice).grading.myFeedback({ submissionId: sub.id });
      expect(seen.review).toMatchObject({ feedback: "Good **work**", total: 4.5, max: 6 });
      expect(seen.review?.criteria.map((c) => [c.id, c.points])).toEqual([["runs", 3], ["explains", 1.5]]);
      const note = await prisma().notification.findFirstOrThrow({ where: { userId: alice.id, kind: "review-returned" } });
      expect(note.title).toContain("4.5/6 points");
      expect(note.link).toBe(`/homework/submissions/${sub.id}`);

      // Once returned, a draft save would hide it again: refused; returning again publishes the change.
      expect(await fails(saveReview(g, { submissionId: sub.id, scores: { runs: 2 }, feedback: "", action: "draft" }))).toBe("BAD_REQUEST");
      const view = await g.grading.submission({ id: sub.id });
      expect(view.review).toMatchObject({ status: "returned", scores: { runs: 3, explains: 1.5 } });
      expect(view.student.email).toBe("alice@example.com");
    });

    it("shows cell comments to the student only once returned, checks the cell exists, and lets only the author edit", async () => {
      const { alice, bob, grader, grader2, admin } = await people();
      const sub = await scored(alice.id);
      const comment = await caller(grader).grading.addComment({ submissionId: sub.id, cellIndex: 0, body: "Nice cell" });
      expect(await fails(caller(grader).grading.addComment({ submissionId: sub.id, cellIndex: 1, body: "x" }))).toBe("BAD_REQUEST");
      expect(await fails(caller(grader).grading.addComment({ submissionId: sub.id, cellIndex: 0, body: "   " }))).toBe("BAD_REQUEST");
      expect(await fails(caller(grader).grading.addComment({ submissionId: "nope", cellIndex: 0, body: "x" }))).toBe("NOT_FOUND");
      expect((await caller(alice).grading.myFeedback({ submissionId: sub.id })).comments).toEqual([]);

      expect(await fails(editComment(caller(grader2), { id: comment.id, body: "mine now" }))).toBe("FORBIDDEN");
      const edited = await editComment(caller(grader), { id: comment.id, body: "Nice cell, edited" });
      expect(edited.editedAt).toBeInstanceOf(Date);
      await saveReview(caller(grader), { submissionId: sub.id, scores: { runs: 4, explains: 2 }, feedback: "", action: "return" });
      const seen = await caller(alice).grading.myFeedback({ submissionId: sub.id });
      expect(seen.comments).toMatchObject([{ cellIndex: 0, body: "Nice cell, edited" }]);
      // Another student learns nothing, not even that it exists.
      expect(await fails(caller(bob).grading.myFeedback({ submissionId: sub.id }))).toBe("NOT_FOUND");
      const extra = await caller(grader2).grading.addComment({ submissionId: sub.id, cellIndex: 0, body: "second" });
      await caller(admin).grading.deleteComment({ id: extra.id });
      expect(await prisma().cellComment.count()).toBe(1);
    });
  });

  describe("regrade requests", () => {
    it("are filed only on a returned review, one open at a time, answered once, and all kept", async () => {
      const { alice, bob, grader } = await people();
      const sub = await scored(alice.id);
      const ask = (user: PublicUser, reason = "Please look at cell 1 again") => caller(user).grading.requestRegrade({ submissionId: sub.id, reason });
      expect(await fails(ask(alice))).toBe("BAD_REQUEST");
      await saveReview(caller(grader), { submissionId: sub.id, scores: { runs: 2, explains: 1 }, feedback: "ok", action: "return" });
      expect(await fails(ask(bob))).toBe("NOT_FOUND");
      expect(await fails(ask(alice, " "))).toBe("BAD_REQUEST");
      // Two at once: exactly one wins.
      const both = await Promise.all([fails(ask(alice)), fails(ask(alice))]);
      expect(both.sort()).toEqual(["CONFLICT", "resolved"]);
      const [first] = await prisma().regradeRequest.findMany();
      expect((await caller(alice).grading.myFeedback({ submissionId: sub.id })).canRequestRegrade).toBe(false);

      await caller(grader).grading.answerRegrade({ id: first!.id, answer: "Raised runs to 3." });
      expect(await fails(caller(grader).grading.answerRegrade({ id: first!.id, answer: "again" }))).toBe("CONFLICT");
      expect(await fails(caller(alice).grading.answerRegrade({ id: first!.id, answer: "self-service" }))).toBe("FORBIDDEN");
      expect(await prisma().notification.count({ where: { userId: alice.id, kind: "regrade-answered" } })).toBe(1);

      await ask(alice, "And cell 2?");
      const history = await caller(alice).grading.myFeedback({ submissionId: sub.id });
      expect(history.regrades.map((r) => [r.reason, r.status, r.answer])).toEqual([
        ["Please look at cell 1 again", "answered", "Raised runs to 3."],
        ["And cell 2?", "open", null],
      ]);
      expect(history.regrades[0]?.answeredBy).toBe("grader@example.com");
    });
  });

  describe("regrade answers and notifications", () => {
    it("tells every grader and admin of a new request, linking to its grading page", async () => {
      const { alice, grader, grader2, admin, bob } = await people();
      const sub = await scored(alice.id);
      await saveReview(caller(grader), { submissionId: sub.id, scores: { runs: 2, explains: 1 }, feedback: "ok", action: "return" });
      await caller(alice).grading.requestRegrade({ submissionId: sub.id, reason: "Cell 2 explains the model." });
      const notes = await prisma().notification.findMany({ where: { kind: "regrade-requested" }, select: { userId: true, title: true, body: true, link: true } });
      expect(notes.map((n) => n.userId).sort()).toEqual([admin.id, grader.id, grader2.id].sort());
      expect(notes.some((n) => n.userId === bob.id || n.userId === alice.id)).toBe(false);
      expect(notes[0]).toMatchObject({ body: "Cell 2 explains the model.", link: `/grading/submissions/${sub.id}` });
      expect(notes[0]!.title).toContain("alice@example.com");
      expect(notes[0]!.title).toContain(sub.fileName);
    });

    it("changes the points and returns the review with the answer in one step, notifying the student once", async () => {
      const { alice, grader } = await people();
      const sub = await scored(alice.id);
      await saveReview(caller(grader), { submissionId: sub.id, scores: { runs: 2, explains: 1 }, feedback: "ok", action: "return" });
      await caller(alice).grading.requestRegrade({ submissionId: sub.id, reason: "It runs end to end." });
      const request = await prisma().regradeRequest.findFirstOrThrow();
      const before = await prisma().notification.count({ where: { userId: alice.id } });
      // Bad points are refused and the request stays open.
      expect(await fails(caller(grader).grading.answerRegrade({ id: request.id, answer: "Fixed", scores: { runs: 9, explains: 1 } }))).toBe("BAD_REQUEST");
      expect(await fails(caller(grader).grading.answerRegrade({ id: request.id, answer: "Fixed", scores: { runs: 4 } }))).toBe("BAD_REQUEST");
      expect(await prisma().regradeRequest.count({ where: { status: "open" } })).toBe(1);

      const answered = await caller(grader).grading.answerRegrade({ id: request.id, answer: "You are right.", scores: { runs: 4, explains: 1 } });
      expect(answered).toMatchObject({ status: "answered", scores: { runs: 4, explains: 1 } });
      const seen = await caller(alice).grading.myFeedback({ submissionId: sub.id });
      expect(seen.review).toMatchObject({ total: 5, max: 6, feedback: "ok" });
      const notes = await prisma().notification.findMany({ where: { userId: alice.id }, orderBy: { createdAt: "asc" } });
      expect(notes.length - before).toBe(1);
      expect(notes.at(-1)).toMatchObject({ kind: "regrade-answered", body: "You are right." });
      expect(notes.at(-1)!.title).toContain("now 5/6 points (was 3)");
    });
  });

  describe("the grading queue", () => {
    it("puts open regrade requests first, filters by assignment, job state and review state, counts and pages", async () => {
      const { alice, bob, grader } = await people();
      const t = (m: number) => new Date(Date.UTC(2026, 0, 1, 0, m));
      const a1 = await scored(alice.id, t(1));
      const b1 = await scored(bob.id, t(2));
      const queued = await storeSubmission(prisma(), bob.id, "graded-hw", t(3));
      const other = await storeSubmission(prisma(), alice.id, "open-hw", t(4));
      await prisma().job.update({ where: { id: other.jobId }, data: { status: "failed", failureReason: "timeout", finishedAt: t(5) } });
      await saveReview(caller(grader), { submissionId: b1.id, scores: { runs: 1, explains: 1 }, feedback: "", action: "return" });
      await caller(bob).grading.requestRegrade({ submissionId: b1.id, reason: "why" });
      await saveReview(caller(grader), { submissionId: a1.id, scores: { runs: 1 }, feedback: "", action: "draft" });

      const q = (input: Parameters<ReturnType<typeof caller>["grading"]["queue"]>[0]) => caller(grader).grading.queue(input);
      const all = await q({});
      expect(all.items.map((i) => i.id)).toEqual([b1.id, a1.id, queued.id, other.id]);
      expect(all.items[0]).toMatchObject({ openRegrades: 1, review: "returned", jobState: "scored", student: { email: "bob@example.com" } });
      expect(all.counts).toEqual({ all: 4, job: { queued: 1, running: 0, scored: 2, failed: 1 }, review: { none: 2, draft: 1, returned: 1 }, openRegrades: 1 });
      expect((await q({ assignment: "graded-hw" })).total).toBe(3);
      expect((await q({ lesson: "lesson-1", assignment: "open-hw" })).items.map((i) => i.id)).toEqual([other.id]);
      expect((await q({ job: "failed" })).items).toMatchObject([{ id: other.id, failureReason: "timeout" }]);
      expect((await q({ review: "none" })).items.map((i) => i.id)).toEqual([queued.id, other.id]);
      expect((await q({ review: "draft", job: "scored" })).items.map((i) => i.id)).toEqual([a1.id]);
      expect((await q({ page: 2 })).items).toEqual([]);
      expect(all.assignments.map((a) => a.slug)).toContain("graded-hw");
    });

    it("marks finals and groups each student's submissions together", async () => {
      const { alice, bob, grader } = await people();
      const t = (m: number) => new Date(Date.UTC(2026, 0, 1, 0, m));
      const b1 = await scored(bob.id, t(1));
      const a1 = await scored(alice.id, t(2));
      const b2 = await scored(bob.id, t(3));
      const a2 = await scored(alice.id, t(4));
      await prisma().submission.update({ where: { id: a2.id }, data: { finalChoice: true } });
      const q = (input: Parameters<ReturnType<typeof caller>["grading"]["queue"]>[0]) => caller(grader).grading.queue(input);
      const plain = await q({ assignment: "graded-hw" });
      expect(plain.items.map((i) => i.id)).toEqual([b1.id, a1.id, b2.id, a2.id]);
      expect(plain.items.map((i) => i.final)).toEqual([false, false, false, true]);
      const grouped = await q({ assignment: "graded-hw", group: "student" });
      expect(grouped.items.map((i) => i.id)).toEqual([a1.id, a2.id, b1.id, b2.id]);
      expect(grouped.total).toBe(4);
    });

    it("pages through open regrade requests and then the rest without gaps", async () => {
      const { alice, grader } = await people();
      const subs = [];
      for (let i = 0; i < 27; i++) subs.push(await scored(alice.id, new Date(Date.UTC(2026, 0, 1, 0, i))));
      const late = subs[26]!;
      await saveReview(caller(grader), { submissionId: late.id, scores: { runs: 1, explains: 1 }, feedback: "", action: "return" });
      await caller(alice).grading.requestRegrade({ submissionId: late.id, reason: "r" });
      const p1 = await caller(grader).grading.queue({ page: 1 });
      const p2 = await caller(grader).grading.queue({ page: 2 });
      expect(p1.pages).toBe(2);
      expect(p1.items).toHaveLength(25);
      expect(p1.items[0]?.id).toBe(late.id);
      expect([...p1.items, ...p2.items].map((i) => i.id)).toEqual([late.id, ...subs.slice(0, 26).map((s) => s.id)]);
    });
  });

  describe("GET /api/grading/export", () => {
    it("gives graders one row per submission (or per student's latest returned one), quoted and formula-safe", async () => {
      const { alice, bob, grader } = await people();
      const a1 = await scored(alice.id, new Date(Date.UTC(2026, 0, 1)));
      const a2 = await scored(alice.id, new Date(Date.UTC(2026, 0, 2)));
      const b1 = await scored(bob.id, new Date(Date.UTC(2026, 0, 3)));
      await saveReview(caller(grader), { submissionId: a1.id, scores: { runs: 4, explains: 2 }, feedback: "", action: "return" });
      await saveReview(caller(grader), { submissionId: a2.id, scores: { runs: 3, explains: 0.5 }, feedback: "", action: "return" });
      await saveReview(caller(grader), { submissionId: b1.id, scores: { runs: 1 }, feedback: "", action: "draft" });
      const assignments = await getAssignments();
      const get = (user: PublicUser | null, query: string) => handleGradesExport(prisma(), user, new URL(`http://localhost/api/grading/export${query}`), assignments);

      expect((await get(null, "?assignment=graded-hw")).status).toBe(401);
      expect((await get(alice, "?assignment=graded-hw")).status).toBe(403);
      expect((await get(grader, "")).status).toBe(400);
      expect((await get(grader, "?assignment=nope")).status).toBe(404);
      expect((await get(grader, "?assignment=graded-hw&mode=weird")).status).toBe(400);

      const res = await get(grader, "?assignment=graded-hw");
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/text\/csv/);
      const lines = (await res.text()).trimEnd().split("\r\n");
      expect(lines[0]).toBe(
        "student_email,student_name,submission_id,submitted_at,public_log_loss,public_accuracy,private_log_loss,private_accuracy,runs,explains,total,max_total,review_status,returned_at",
      );
      expect(lines).toHaveLength(4);
      expect(lines[1]).toMatch(new RegExp(`^alice@example\\.com,"'=Alice, ""A""",${a1.id},2026-01-01T00:00:00\\.000Z,0\\.2,0\\.9,0\\.3,0\\.85,4,2,6,6,returned,\\d{4}-`));
      expect(lines[3]).toMatch(new RegExp(`^bob@example\\.com,,${b1.id},.*,1,,1,6,draft,$`));

      const latest = (await (await get(grader, "?assignment=graded-hw&mode=latest")).text()).trimEnd().split("\r\n");
      expect(latest).toHaveLength(2);
      expect(latest[1]).toContain(`,${a2.id},`);
      expect(latest[1]).toContain(",3,0.5,3.5,6,returned,");
    });
  });
});
