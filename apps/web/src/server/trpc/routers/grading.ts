import { SLUG } from "@course/content";
import { z } from "zod";
import { answerRegradeRequest, myFeedback, reviewSubmission, saveSubmissionReview } from "../../grading/assignment-rubric";
import { gradingQueueFor, JOB_FILTERS, QUEUE_GROUPINGS, REVIEW_FILTERS } from "../../grading/queue";
import { addCellComment, deleteCellComment, editCellComment, gradingTextDiff, gradingTextHistory, requestRegrade } from "../../grading/reviews";
import { createTRPCRouter, protectedProcedure, roleProcedure } from "../init";

const idInput = z.string().min(1).max(100);
const slug = z.string().regex(SLUG).max(100);
const graderProcedure = roleProcedure("grader");
const revisionNumber = z.number().int().min(0).max(1_000_000);
/** A text whose history graders read: a submission's review feedback, or a cell comment. */
const gradingText = z.discriminatedUnion("of", [
  z.object({ of: z.literal("feedback"), submissionId: idInput }).strict(),
  z.object({ of: z.literal("comment"), commentId: idInput }).strict(),
]);

/** Graders' work (grader or admin role, checked in every procedure), and the student's side of it (own work only). */
export const gradingRouter = createTRPCRouter({
  /** The review queue: open regrade requests first, filters, counts, pages of 25. */
  queue: graderProcedure
    .input(
      z.object({
        lesson: slug.optional(),
        assignment: slug.optional(),
        job: z.enum(JOB_FILTERS).optional(),
        review: z.enum(REVIEW_FILTERS).optional(),
        group: z.enum(QUEUE_GROUPINGS).optional(),
        page: z.number().int().min(1).max(10_000).default(1),
      }),
    )
    .query(({ ctx, input }) => gradingQueueFor(ctx.db.prisma, input)),

  /** One submission as a grader reviews it: student, review, rubric, comments, regrade requests. */
  submission: graderProcedure.input(z.object({ id: idInput })).query(({ ctx, input }) => reviewSubmission(ctx.db.prisma, input.id)),

  /**
   * Saves the rubric scores and feedback as a draft, or returns them to the student (who is notified). The feedback
   * is merged over revisions saved since `feedbackBaseNumber`; overlapping edits save nothing and come back as
   * `{ outcome: "conflict", conflict: { mine, theirs, regions, currentNumber, by } }`.
   */
  saveReview: graderProcedure
    .input(
      z.object({
        submissionId: idInput,
        scores: z.record(z.string().max(100), z.number().nullable()),
        feedback: z.string().max(20_000),
        feedbackBaseNumber: revisionNumber,
        action: z.enum(["draft", "return"]),
      }),
    )
    .mutation(({ ctx, input }) => saveSubmissionReview(ctx.db.prisma, { ...input, graderId: ctx.user.id })),

  addComment: graderProcedure
    .input(z.object({ submissionId: idInput, cellIndex: z.number().int().min(0).max(100_000), body: z.string().max(5_000) }))
    .mutation(({ ctx, input }) => addCellComment(ctx.db.prisma, { ...input, authorId: ctx.user.id })),

  /** Its author (or an admin) edits a comment from revision `baseNumber` (merged, or a conflict like saveReview's). */
  editComment: graderProcedure
    .input(z.object({ id: idInput, body: z.string().max(5_000), baseNumber: revisionNumber }))
    .mutation(({ ctx, input }) => editCellComment(ctx.db.prisma, { ...input, user: ctx.user })),

  deleteComment: graderProcedure.input(z.object({ id: idInput })).mutation(({ ctx, input }) => deleteCellComment(ctx.db.prisma, { id: input.id, user: ctx.user })),

  /** Answers an open regrade request; with `scores`, also changes the points and returns the review (one notification). */
  answerRegrade: graderProcedure
    .input(z.object({ id: idInput, answer: z.string().max(2_000), scores: z.record(z.string().max(100), z.number().nullable()).optional() }))
    .mutation(({ ctx, input }) => answerRegradeRequest(ctx.db.prisma, { ...input, graderId: ctx.user.id })),

  /** The revisions of a feedback or cell comment, newest first (graders only: students see the current returned text). */
  history: graderProcedure.input(z.object({ text: gradingText })).query(({ ctx, input }) => gradingTextHistory(ctx.db.prisma, input.text)),

  /** The diff between two revisions of a feedback or cell comment (0: the empty text). */
  historyDiff: graderProcedure
    .input(z.object({ text: gradingText, from: revisionNumber, to: revisionNumber }))
    .query(({ ctx, input }) => gradingTextDiff(ctx.db.prisma, input.text, input.from, input.to)),

  /** The student's own returned review, cell comments and regrade history (NOT_FOUND for anyone else's). */
  myFeedback: protectedProcedure.input(z.object({ submissionId: idInput })).query(({ ctx, input }) => myFeedback(ctx.db.prisma, input.submissionId, ctx.user)),

  /** A student asks for a regrade of their own returned submission (one open request at a time). */
  requestRegrade: protectedProcedure
    .input(z.object({ submissionId: idInput, reason: z.string().max(2_000) }))
    .mutation(({ ctx, input }) => requestRegrade(ctx.db.prisma, { submissionId: input.submissionId, student: ctx.user, reason: input.reason })),
});
