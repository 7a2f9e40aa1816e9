import type { Database, PrismaClient } from "@course/db";
import { describe, expect, it } from "vitest";
import {
  createDocument,
  currentText,
  diffRevisions,
  getRevision,
  listRevisions,
  MAX_REVISION_CHARS,
  saveRevision,
  type SaveResult,
} from "~/server/revisions/documents";
import { DomainError } from "~/server/errors";
import {
  commentForEdit,
  commentHistory,
  feedbackForEdit,
  feedbackHistory,
  saveCommentRevision,
  saveFeedbackRevision,
} from "~/server/revisions/feedback";
import { eachBackend } from "./support/backends";

const lines = (...xs: string[]) => xs.map((x) => `${x}\n`).join("");
const user = (prisma: PrismaClient, name: string) => prisma.user.create({ data: { email: `${name}@example.com`, name } });
const saved = (result: SaveResult) => {
  if (result.status !== "saved") throw new Error(`expected a saved revision, got ${JSON.stringify(result)}`);
  return result;
};
const rejects = (p: Promise<unknown>) =>
  p.then(
    () => "resolved",
    (error: unknown) => (error instanceof DomainError ? `${error.code}: ${error.message}` : String(error)),
  );

async function reviewWithFeedback(prisma: PrismaClient, feedback: string, graderId: string | null) {
  const student = await user(prisma, `student${Math.random().toString(36).slice(2, 8)}`);
  const job = await prisma.job.create({ data: { notebook: "{}", benchmarkId: "dogscats" } });
  const submission = await prisma.submission.create({
    data: { userId: student.id, assignmentSlug: "hw", fileName: "hw.ipynb", size: 2, sha256: "0".repeat(64), notebook: "{}", jobId: job.id },
  });
  const review = await prisma.review.create({ data: { submissionId: submission.id, scores: {}, feedback, graderId } });
  return { student, submission, review };
}

eachBackend((get: () => Database, backend: string) => {
  describe("saveRevision", () => {
    it("appends numbered revisions and keeps every one of them", async () => {
      const { prisma } = get();
      const ann = await user(prisma, "ann");
      const doc = await createDocument(prisma, "review-feedback");
      expect(await currentText(prisma, doc.id)).toEqual({ number: 0, body: "" });

      expect(await saveRevision(prisma, { documentId: doc.id, baseNumber: 0, body: "first\r\n", authorId: ann.id, summary: "start" })).toEqual({
        status: "saved",
        number: 1,
        body: "first\n",
        merged: false,
      });
      saved(await saveRevision(prisma, { documentId: doc.id, baseNumber: 1, body: lines("first", "second"), authorId: ann.id }));

      expect(await currentText(prisma, doc.id)).toEqual({ number: 2, body: lines("first", "second") });
      const history = await listRevisions(prisma, doc.id);
      expect(history.map((r) => [r.number, r.baseNumber, r.summary, r.authorName, r.merged])).toEqual([
        [2, 1, "", "ann", false],
        [1, 0, "start", "ann", false],
      ]);
      expect((await getRevision(prisma, doc.id, 1)).body).toBe("first\n");
      const diff = await diffRevisions(prisma, doc.id, 1, 2);
      expect(diff.rows).toEqual([
        { kind: "same", oldNumber: 1, newNumber: 1, text: "first" },
        { kind: "added", newNumber: 2, text: "second" },
      ]);
      expect((await diffRevisions(prisma, doc.id, 2, 0)).removed).toBe(2);
    });

    it("an unchanged text adds no revision", async () => {
      const { prisma } = get();
      const doc = await createDocument(prisma, "cell-comment");
      saved(await saveRevision(prisma, { documentId: doc.id, baseNumber: 0, body: "same", authorId: null }));
      expect(await saveRevision(prisma, { documentId: doc.id, baseNumber: 1, body: "same", authorId: null })).toEqual({ status: "unchanged", number: 1, body: "same" });
      expect(await listRevisions(prisma, doc.id)).toHaveLength(1);
    });

    it("a save from a stale base merges cleanly over the revisions saved meanwhile", async () => {
      const { prisma } = get();
      const [ann, bob] = [await user(prisma, "ann"), await user(prisma, "bob")];
      const doc = await createDocument(prisma, "review-feedback");
      const base = lines("Intro", "", "Middle", "", "End");
      saved(await saveRevision(prisma, { documentId: doc.id, baseNumber: 0, body: base, authorId: ann.id }));
      // Both start from revision 1; Ann saves first.
      saved(await saveRevision(prisma, { documentId: doc.id, baseNumber: 1, body: base.replace("Intro", "Intro, by Ann"), authorId: ann.id }));
      const result = saved(await saveRevision(prisma, { documentId: doc.id, baseNumber: 1, body: base.replace("End", "End, by Bob"), authorId: bob.id, summary: "bob" }));
      expect(result).toEqual({ status: "saved", number: 3, merged: true, body: lines("Intro, by Ann", "", "Middle", "", "End, by Bob") });
      expect((await getRevision(prisma, doc.id, 3)).merged).toBe(true);
      expect((await getRevision(prisma, doc.id, 3)).baseNumber).toBe(1);
    });

    it("overlapping edits come back as a conflict that keeps the author's text, and nothing is written", async () => {
      const { prisma } = get();
      const doc = await createDocument(prisma, "review-feedback");
      saved(await saveRevision(prisma, { documentId: doc.id, baseNumber: 0, body: lines("Score: fine"), authorId: null }));
      saved(await saveRevision(prisma, { documentId: doc.id, baseNumber: 1, body: lines("Score: good"), authorId: null }));
      const result = await saveRevision(prisma, { documentId: doc.id, baseNumber: 1, body: lines("Score: weak"), authorId: null });
      expect(result).toMatchObject({ status: "conflict", currentNumber: 2, mine: lines("Score: weak"), theirs: lines("Score: good"), base: lines("Score: fine") });
      if (result.status !== "conflict") throw new Error("unreachable");
      expect(result.regions.filter((r) => r.kind === "conflict")).toEqual([{ kind: "conflict", mine: ["Score: weak"], base: ["Score: fine"], theirs: ["Score: good"] }]);
      expect(await currentText(prisma, doc.id)).toEqual({ number: 2, body: lines("Score: good") });
      // The author resolves it against the current revision and saves again.
      saved(await saveRevision(prisma, { documentId: doc.id, baseNumber: result.currentNumber, body: lines("Score: good, but weak tests"), authorId: null }));
    });

    it("bad input gets a specific error", async () => {
      const { prisma } = get();
      const doc = await createDocument(prisma, "review-feedback");
      expect(await rejects(saveRevision(prisma, { documentId: doc.id, baseNumber: 3, body: "x", authorId: null }))).toBe(
        "BAD_REQUEST: Revision 3 of this text does not exist (the newest is 0)",
      );
      expect(await rejects(saveRevision(prisma, { documentId: doc.id, baseNumber: 0, body: "x".repeat(MAX_REVISION_CHARS + 1), authorId: null }))).toBe(
        `BAD_REQUEST: body: A text may hold at most ${MAX_REVISION_CHARS} characters`,
      );
      expect(await rejects(saveRevision(prisma, { documentId: doc.id, baseNumber: -1, body: "x", authorId: null }))).toMatch(/^BAD_REQUEST: baseNumber:/);
      expect(await rejects(saveRevision(prisma, { documentId: "nope", baseNumber: 0, body: "x", authorId: null }))).toBe("NOT_FOUND: No text document nope");
      expect(await rejects(getRevision(prisma, doc.id, 1))).toBe("NOT_FOUND: Revision 1 of this text does not exist");
    });

    it(`N concurrent editors of one text lose no update (${backend})`, async () => {
      const { prisma } = get();
      const editors = 8;
      const doc = await createDocument(prisma, "review-feedback");
      // Each editor owns one line of the text (lines apart, so most stale saves merge cleanly) and also appends a
      // line at the end (where concurrent appends conflict and must be retried from the newest revision).
      const start = Array.from({ length: editors }, (_, i) => `line ${i}: original\n\n`).join("");
      saved(await saveRevision(prisma, { documentId: doc.id, baseNumber: 0, body: start, authorId: null }));
      let conflicts = 0;
      let merges = 0;
      const edit = async (i: number) => {
        // Half of them start from a stale base: the first revision, whatever was saved since.
        let base = i % 2 === 0 ? await currentText(prisma, doc.id) : { number: 1, body: start };
        for (let attempt = 0; attempt < 50; attempt++) {
          const mine = `${base.body.replace(`line ${i}: original`, `line ${i}: edited by ${i}`)}appended by ${i}\n`;
          const result = await saveRevision(prisma, { documentId: doc.id, baseNumber: base.number, body: mine, authorId: null, summary: `editor ${i}` });
          if (result.status === "saved") {
            if (result.merged) merges++;
            return;
          }
          if (result.status === "conflict") conflicts++;
          base = await currentText(prisma, doc.id);
        }
        throw new Error(`editor ${i} gave up`);
      };
      await Promise.all(Array.from({ length: editors }, (_, i) => edit(i)));

      const final = await currentText(prisma, doc.id);
      for (let i = 0; i < editors; i++) {
        expect(final.body).toContain(`line ${i}: edited by ${i}\n`);
        expect(final.body.split("\n").filter((l) => l === `appended by ${i}`)).toHaveLength(1);
      }
      expect(final.body).not.toContain("original");
      const numbers = (await listRevisions(prisma, doc.id)).map((r) => r.number).reverse();
      expect(numbers).toEqual(Array.from({ length: final.number }, (_, k) => k + 1));
      // One revision per editor plus the first: a conflict writes nothing, a merge writes one revision.
      expect(final.number).toBe(editors + 1);
      expect(conflicts + merges).toBeGreaterThan(0);
    });
  });

  describe("feedback and cell comments keep their history", () => {
    it("feedback written before the history becomes revision 1, saves write Review.feedback, stale saves merge", async () => {
      const { prisma } = get();
      const [gina, hal] = [await user(prisma, "gina"), await user(prisma, "hal")];
      const { review } = await reviewWithFeedback(prisma, lines("Good start.", "", "Plots missing."), gina.id);
      expect((await feedbackHistory(prisma, review.id)).revisions).toEqual([]);

      // Two graders open the editor on the same feedback.
      const ginaOpens = await feedbackForEdit(prisma, review.id);
      const halOpens = await feedbackForEdit(prisma, review.id);
      expect(ginaOpens).toEqual({ documentId: halOpens.documentId, baseNumber: 1, body: lines("Good start.", "", "Plots missing.") });

      saved(await saveFeedbackRevision(prisma, { reviewId: review.id, baseNumber: ginaOpens.baseNumber, body: ginaOpens.body.replace("Good start.", "Good start, clear code."), authorId: gina.id }));
      const hals = saved(await saveFeedbackRevision(prisma, { reviewId: review.id, baseNumber: halOpens.baseNumber, body: halOpens.body.replace("Plots missing.", "Plots missing in part 2."), authorId: hal.id, summary: "plots" }));
      expect(hals).toMatchObject({ number: 3, merged: true });
      expect((await prisma.review.findUniqueOrThrow({ where: { id: review.id } })).feedback).toBe(lines("Good start, clear code.", "", "Plots missing in part 2."));

      const history = await feedbackHistory(prisma, review.id);
      expect(history.revisions.map((r) => [r.number, r.authorName, r.summary])).toEqual([
        [3, "hal", "plots"],
        [2, "gina", ""],
        [1, "gina", "text from before the revision history"],
      ]);
    });

    it("a conflicting feedback save writes neither the history nor Review.feedback", async () => {
      const { prisma } = get();
      const gina = await user(prisma, "gina");
      const { review } = await reviewWithFeedback(prisma, "", gina.id);
      const opened = await feedbackForEdit(prisma, review.id);
      expect(opened.baseNumber).toBe(0);
      saved(await saveFeedbackRevision(prisma, { reviewId: review.id, baseNumber: 0, body: "Fine.", authorId: gina.id }));
      const result = await saveFeedbackRevision(prisma, { reviewId: review.id, baseNumber: 0, body: "Weak.", authorId: gina.id });
      expect(result).toMatchObject({ status: "conflict", mine: "Weak.", theirs: "Fine.", currentNumber: 1 });
      expect((await prisma.review.findUniqueOrThrow({ where: { id: review.id } })).feedback).toBe("Fine.");
      expect((await feedbackHistory(prisma, review.id)).revisions).toHaveLength(1);
    });

    it("feedback written outside the history meanwhile is taken in first, then merged, never lost", async () => {
      const { prisma } = get();
      const gina = await user(prisma, "gina");
      const { review } = await reviewWithFeedback(prisma, lines("A", "", "B"), gina.id);
      const opened = await feedbackForEdit(prisma, review.id);
      // An older code path overwrites the column in place.
      await prisma.review.update({ where: { id: review.id }, data: { feedback: lines("A", "", "B, edited in place") } });
      const result = saved(await saveFeedbackRevision(prisma, { reviewId: review.id, baseNumber: opened.baseNumber, body: lines("A, with history", "", "B"), authorId: gina.id }));
      expect(result.body).toBe(lines("A, with history", "", "B, edited in place"));
      expect((await feedbackHistory(prisma, review.id)).revisions.map((r) => r.summary)).toEqual([
        "",
        "text saved outside the revision history",
        "text from before the revision history",
      ]);
    });

    it("concurrent first saves of one review create one document", async () => {
      const { prisma } = get();
      const { review } = await reviewWithFeedback(prisma, lines("A", "", "B"), null);
      // Both read the column before any document existed: its text will be revision 1.
      const results = await Promise.all(
        [lines("A1", "", "B"), lines("A", "", "B2")].map((body) => saveFeedbackRevision(prisma, { reviewId: review.id, baseNumber: 1, body, authorId: null })),
      );
      expect(results.map((r) => r.status)).toEqual(["saved", "saved"]);
      expect(await prisma.textDocument.count({ where: { reviewId: review.id } })).toBe(1);
      expect((await prisma.review.findUniqueOrThrow({ where: { id: review.id } })).feedback).toBe(lines("A1", "", "B2"));
      expect((await feedbackHistory(prisma, review.id)).revisions.map((r) => r.number)).toEqual([3, 2, 1]);
    });

    it("cell comment edits keep their history and set editedAt; deleting the comment deletes it", async () => {
      const { prisma } = get();
      const gina = await user(prisma, "gina");
      const { submission } = await reviewWithFeedback(prisma, "", gina.id);
      const comment = await prisma.cellComment.create({ data: { submissionId: submission.id, cellIndex: 2, authorId: gina.id, body: "Nice plot." } });
      const opened = await commentForEdit(prisma, comment.id);
      saved(await saveCommentRevision(prisma, { commentId: comment.id, baseNumber: opened.baseNumber, body: "Nice plot; label the axes.", authorId: gina.id }));
      const row = await prisma.cellComment.findUniqueOrThrow({ where: { id: comment.id } });
      expect(row.body).toBe("Nice plot; label the axes.");
      expect(row.editedAt).not.toBeNull();
      const history = await commentHistory(prisma, comment.id);
      expect(history.revisions.map((r) => r.number)).toEqual([2, 1]);
      expect((await diffRevisions(prisma, history.documentId!, 1, 2)).rows[0]).toMatchObject({ kind: "changed" });

      await prisma.cellComment.delete({ where: { id: comment.id } });
      expect(await prisma.textDocument.count()).toBe(0);
      expect(await prisma.revision.count()).toBe(0);
    });

    it("an unknown review or comment is a clear error", async () => {
      const { prisma } = get();
      expect(await rejects(feedbackForEdit(prisma, "missing"))).toBe("NOT_FOUND: No review missing");
      expect(await rejects(saveCommentRevision(prisma, { commentId: "missing", baseNumber: 0, body: "x", authorId: null }))).toBe("NOT_FOUND: No cell comment missing");
    });
  });
});
