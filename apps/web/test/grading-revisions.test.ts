import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { scoreJob, storeSubmission } from "./homework-support";
import { signUpWithPassword, type PublicUser } from "~/server/auth/users";
import { createCaller } from "~/server/trpc/root";
import { eachBackend } from "./support/backends";

// Two graders edit the same feedback (or cell comment) from the same revision: no update is ever lost.
const password = "a sound passphrase";
const code = (error: unknown) => (error instanceof TRPCError ? error.code : String(error));
const fails = (p: Promise<unknown>) => p.then(() => "resolved", code);
const text = (...lines: string[]) => lines.join("\n");

eachBackend((db) => {
  const prisma = () => db().prisma;
  const caller = (user: PublicUser | null) => createCaller({ db: db(), user, ip: "127.0.0.1" });
  type Caller = ReturnType<typeof caller>;

  async function withRole(email: string, name: string, role: "grader" | "admin" | "student") {
    const user = await signUpWithPassword(prisma(), { email, password, name });
    return prisma().user.update({ where: { id: user.id }, data: { role }, select: { id: true, email: true, name: true, role: true } });
  }
  async function setting() {
    const student = await withRole("stu@example.com", "Stu Dent", "student");
    const ann = await withRole("ann@example.com", "Ann", "grader");
    const ben = await withRole("ben@example.com", "Ben", "grader");
    const admin = await withRole("ada@example.com", "Ada", "admin");
    const sub = await storeSubmission(prisma(), student.id, "open-hw");
    await scoreJob(prisma(), sub.jobId, [0.2, 0.9]);
    return { student, ann, ben, admin, sub };
  }
  /** What a grader's page loads: the feedback and the revision it is. */
  const open = async (c: Caller, submissionId: string) => (await c.grading.submission({ id: submissionId })).feedback;
  const saved = <T extends { outcome: string }>(result: T) => {
    if (result.outcome !== "saved") throw new Error(`expected a save, got ${JSON.stringify(result)}`);
    return result as Extract<T, { outcome: "saved" }>;
  };

  describe("review feedback", () => {
    it("merges two graders' edits of different lines, keeping both and naming who saved meanwhile", async () => {
      const { ann, ben, sub } = await setting();
      const first = saved(
        await caller(ann).grading.saveReview({ submissionId: sub.id, scores: { runs: 1 }, feedback: text("Good start.", "", "The model trains.", "", "Plots are missing."), feedbackBaseNumber: 0, action: "draft" }),
      );
      expect(first.feedbackBaseNumber).toBe(1);
      // Both open the page at revision 1.
      const annSees = await open(caller(ann), sub.id);
      const benSees = await open(caller(ben), sub.id);
      expect([annSees.baseNumber, benSees.baseNumber]).toEqual([1, 1]);

      const a = saved(
        await caller(ann).grading.saveReview({ submissionId: sub.id, scores: { runs: 1 }, feedback: text("Great start.", "", "The model trains.", "", "Plots are missing."), feedbackBaseNumber: 1, action: "draft" }),
      );
      expect(a).toMatchObject({ feedbackBaseNumber: 2, mergedWith: [] });
      const b = saved(
        await caller(ben).grading.saveReview({
          submissionId: sub.id,
          scores: { runs: 0.5 },
          feedback: text("Good start.", "", "The model trains.", "", "Plots are missing: add a loss curve."),
          feedbackBaseNumber: benSees.baseNumber,
          action: "return",
        }),
      );
      const both = text("Great start.", "", "The model trains.", "", "Plots are missing: add a loss curve.");
      expect(b).toMatchObject({ feedback: both, feedbackBaseNumber: 3, mergedWith: ["Ann"], status: "returned", scores: { runs: 0.5 } });
      expect((await prisma().review.findUniqueOrThrow({ where: { submissionId: sub.id } })).feedback).toBe(both);
      expect((await caller((await prisma().user.findFirstOrThrow({ where: { email: "stu@example.com" } })) as PublicUser).grading.myFeedback({ submissionId: sub.id })).review?.feedback).toBe(both);

      // The history lists every revision, newest first, with its author; any two revisions diff.
      const history = await caller(ben).grading.history({ text: { of: "feedback", submissionId: sub.id } });
      expect(history.map((r) => [r.number, r.author, r.merged])).toEqual([
        [3, "Ben", true],
        [2, "Ann", false],
        [1, "Ann", false],
      ]);
      const diff = await caller(ann).grading.historyDiff({ text: { of: "feedback", submissionId: sub.id }, from: 1, to: 3 });
      expect(diff).toMatchObject({ identical: false, added: 2, removed: 2 });
      expect(diff.rows.filter((r) => r.kind !== "same").length).toBeGreaterThan(0);
      expect(await fails(caller(ann).grading.historyDiff({ text: { of: "feedback", submissionId: sub.id }, from: 1, to: 9 }))).toBe("NOT_FOUND");
    });

    it("returns a conflict for overlapping edits: nothing is saved, not even the scores, and the second grader's text comes back", async () => {
      const { ann, ben, sub } = await setting();
      saved(await caller(ann).grading.saveReview({ submissionId: sub.id, scores: { runs: 1 }, feedback: text("Good start.", "Plots are missing."), feedbackBaseNumber: 0, action: "draft" }));
      const base = (await open(caller(ben), sub.id)).baseNumber;
      saved(await caller(ann).grading.saveReview({ submissionId: sub.id, scores: { runs: 1 }, feedback: text("Great start.", "Plots are missing."), feedbackBaseNumber: base, action: "draft" }));
      const mine = text("A fine start.", "Plots are missing.");
      const result = await caller(ben).grading.saveReview({ submissionId: sub.id, scores: { runs: 0 }, feedback: mine, feedbackBaseNumber: base, action: "return" });
      expect(result.outcome).toBe("conflict");
      if (result.outcome !== "conflict") return;
      expect(result.conflict).toMatchObject({ mine, theirs: text("Great start.", "Plots are missing."), currentNumber: 2, by: ["Ann"] });
      expect(result.conflict.regions).toContainEqual({ kind: "conflict", mine: ["A fine start."], base: ["Good start."], theirs: ["Great start."] });
      const review = await prisma().review.findUniqueOrThrow({ where: { submissionId: sub.id } });
      expect(review).toMatchObject({ status: "draft", scores: { runs: 1 }, feedback: text("Great start.", "Plots are missing.") });
      expect(await prisma().notification.count({ where: { kind: "review-returned" } })).toBe(0);
      expect(await caller(ben).grading.history({ text: { of: "feedback", submissionId: sub.id } })).toHaveLength(2);

      // Resolved and saved again on the revision the conflict named: it goes through.
      const resolved = saved(
        await caller(ben).grading.saveReview({ submissionId: sub.id, scores: { runs: 0 }, feedback: text("A great start.", "Plots are missing."), feedbackBaseNumber: result.conflict.currentNumber, action: "return" }),
      );
      expect(resolved).toMatchObject({ feedback: text("A great start.", "Plots are missing."), feedbackBaseNumber: 3, status: "returned", scores: { runs: 0 } });
      // A base that does not exist yet is bad input, not a silent overwrite.
      expect(await fails(caller(ann).grading.saveReview({ submissionId: sub.id, scores: { runs: 1 }, feedback: "x", feedbackBaseNumber: 7, action: "return" }))).toBe("BAD_REQUEST");
    });

    it("keeps both graders' edits when they save at the same moment from the same base", async () => {
      const { ann, ben, sub } = await setting();
      saved(await caller(ann).grading.saveReview({ submissionId: sub.id, scores: {}, feedback: text("one", "", "two", "", "three"), feedbackBaseNumber: 0, action: "draft" }));
      const [a, b] = await Promise.all([
        caller(ann).grading.saveReview({ submissionId: sub.id, scores: {}, feedback: text("ONE", "", "two", "", "three"), feedbackBaseNumber: 1, action: "draft" }),
        caller(ben).grading.saveReview({ submissionId: sub.id, scores: {}, feedback: text("one", "", "two", "", "THREE"), feedbackBaseNumber: 1, action: "draft" }),
      ]);
      expect([a.outcome, b.outcome]).toEqual(["saved", "saved"]);
      expect((await prisma().review.findUniqueOrThrow({ where: { submissionId: sub.id } })).feedback).toBe(text("ONE", "", "two", "", "THREE"));
      expect((await caller(ann).grading.history({ text: { of: "feedback", submissionId: sub.id } })).map((r) => r.number)).toEqual([3, 2, 1]);
    });

    it("two first saves of a review at the same moment: one is saved, the other comes back as a conflict with its text", async () => {
      const { ann, ben, sub } = await setting();
      const results = await Promise.all([
        caller(ann).grading.saveReview({ submissionId: sub.id, scores: {}, feedback: "Ann's view.", feedbackBaseNumber: 0, action: "draft" }),
        caller(ben).grading.saveReview({ submissionId: sub.id, scores: {}, feedback: "Ben's view.", feedbackBaseNumber: 0, action: "draft" }),
      ]);
      expect(results.map((r) => r.outcome).sort()).toEqual(["conflict", "saved"]);
      const lost = results.find((r) => r.outcome === "conflict");
      const kept = (await prisma().review.findUniqueOrThrow({ where: { submissionId: sub.id } })).feedback;
      expect(lost?.outcome === "conflict" && [lost.conflict.mine, lost.conflict.theirs].sort()).toEqual(["Ann's view.", "Ben's view."]);
      expect(["Ann's view.", "Ben's view."]).toContain(kept);
    });

    it("answering a regrade with new points leaves the feedback and its history alone", async () => {
      const { student, ann, sub } = await setting();
      saved(await caller(ann).grading.saveReview({ submissionId: sub.id, scores: { runs: 0.5 }, feedback: "Half marks.", feedbackBaseNumber: 0, action: "return" }));
      await caller(student).grading.requestRegrade({ submissionId: sub.id, reason: "It runs." });
      const request = await prisma().regradeRequest.findFirstOrThrow();
      await caller(ann).grading.answerRegrade({ id: request.id, answer: "Right.", scores: { runs: 1 } });
      expect((await prisma().review.findUniqueOrThrow({ where: { submissionId: sub.id } })).feedback).toBe("Half marks.");
      expect(await open(caller(ann), sub.id)).toEqual({ body: "Half marks.", baseNumber: 1 });
    });

    it("shows history to graders only; a review not yet written has revision 0 and no history", async () => {
      const { student, ann, sub } = await setting();
      expect(await open(caller(ann), sub.id)).toEqual({ body: "", baseNumber: 0 });
      expect(await caller(ann).grading.history({ text: { of: "feedback", submissionId: sub.id } })).toEqual([]);
      expect(await fails(caller(student).grading.history({ text: { of: "feedback", submissionId: sub.id } }))).toBe("FORBIDDEN");
      expect(await fails(caller(ann).grading.history({ text: { of: "feedback", submissionId: "nope" } }))).toBe("NOT_FOUND");
      expect(await fails(caller(ann).grading.history({ text: { of: "comment", commentId: "nope" } }))).toBe("NOT_FOUND");
    });
  });

  describe("cell comments", () => {
    it("merges an admin's and the author's edits of different lines, returns a conflict for overlapping ones, and keeps every revision", async () => {
      const { ann, admin, sub } = await setting();
      const comment = await caller(ann).grading.addComment({ submissionId: sub.id, cellIndex: 0, body: text("Nice cell.", "", "Name the variables.") });
      const base = (await caller(ann).grading.submission({ id: sub.id })).comments[0]!.baseNumber;
      expect(base).toBe(1);

      const a = saved(await caller(ann).grading.editComment({ id: comment.id, body: text("Very nice cell.", "", "Name the variables."), baseNumber: base }));
      expect(a).toMatchObject({ baseNumber: 2, merged: false });
      const b = saved(await caller(admin).grading.editComment({ id: comment.id, body: text("Nice cell.", "", "Name the variables better."), baseNumber: base }));
      expect(b).toMatchObject({ body: text("Very nice cell.", "", "Name the variables better."), baseNumber: 3, merged: true });
      expect(b.editedAt).toBeInstanceOf(Date);

      const mine = text("Very nice cell.", "", "Use clearer names.");
      const conflict = await caller(admin).grading.editComment({ id: comment.id, body: mine, baseNumber: 2 });
      expect(conflict.outcome).toBe("conflict");
      if (conflict.outcome !== "conflict") return;
      expect(conflict.conflict).toMatchObject({ mine, currentNumber: 3 });
      expect((await prisma().cellComment.findUniqueOrThrow({ where: { id: comment.id } })).body).toBe(text("Very nice cell.", "", "Name the variables better."));

      const history = await caller(ann).grading.history({ text: { of: "comment", commentId: comment.id } });
      expect(history.map((r) => [r.number, r.author, r.summary])).toEqual([
        [3, "Ada", ""],
        [2, "Ann", ""],
        [1, "Ann", ""],
      ]);
      const diff = await caller(ann).grading.historyDiff({ text: { of: "comment", commentId: comment.id }, from: 2, to: 3 });
      expect(diff).toMatchObject({ added: 1, removed: 1 });
    });
  });
});
