import { SLUG } from "@course/content";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { GradingError } from "../../grading/errors";
import { gradingQueue, JOB_FILTERS, QUEUE_GROUPINGS, REVIEW_FILTERS } from "../../grading/queue";
import {
  addCellComment,
  answerRegrade,
  deleteCellComment,
  editCellComment,
  graderView,
  gradingTextDiff,
  gradingTextHistory,
  requestRegrade,
  saveReview,
  studentFeedback,
} from "../../grading/reviews";
import { getAssignment, getAssignments } from "../../homework/assignments";
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

async function mapErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof GradingError) throw new TRPCError({ code: error.code, message: error.message });
    throw error;
  }
}

async function rubricOf(submissionId: string, prisma: Parameters<typeof graderView>[0]) {
  const sub = await prisma.submission.findUnique({ where: { id: submissionId }, select: { assignmentSlug: true } });
  if (!sub) throw new TRPCError({ code: "NOT_FOUND", message: "No such submission." });
  return (await getAssignment(sub.assignmentSlug))?.rubric ?? null;
}

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
    .query(async ({ ctx, input }) => {
      const assignments = await getAssignments();
      let slugs: string[] | undefined;
      if (input.lesson) slugs = assignments.filter((a) => a.lesson === input.lesson).map((a) => a.slug);
      if (input.assignment) slugs = (slugs ?? [input.assignment]).filter((s) => s === input.assignment);
      const queue = await gradingQueue(ctx.db.prisma, { assignmentSlugs: slugs, job: input.job, review: input.review, group: input.group }, input.page);
      return { ...queue, assignments: assignments.map((a) => ({ slug: a.slug, lesson: a.lesson, title: a.title })) };
    }),

  /** One submission as a grader reviews it: student, review, rubric, comments, regrade requests. */
  submission: graderProcedure.input(z.object({ id: idInput })).query(({ ctx, input }) =>
    mapErrors(async () => graderView(ctx.db.prisma, input.id, await rubricOf(input.id, ctx.db.prisma))),
  ),

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
    .mutation(({ ctx, input }) =>
      mapErrors(async () => {
        const rubric = await rubricOf(input.submissionId, ctx.db.prisma);
        if (!rubric) throw new GradingError("BAD_REQUEST", "This submission's assignment no longer exists; its rubric is unknown.");
        return saveReview(ctx.db.prisma, { ...input, graderId: ctx.user.id }, rubric);
      }),
    ),

  addComment: graderProcedure
    .input(z.object({ submissionId: idInput, cellIndex: z.number().int().min(0).max(100_000), body: z.string().max(5_000) }))
    .mutation(({ ctx, input }) => mapErrors(() => addCellComment(ctx.db.prisma, { ...input, authorId: ctx.user.id }))),

  /** Its author (or an admin) edits a comment from revision `baseNumber` (merged, or a conflict like saveReview's). */
  editComment: graderProcedure
    .input(z.object({ id: idInput, body: z.string().max(5_000), baseNumber: revisionNumber }))
    .mutation(({ ctx, input }) => mapErrors(() => editCellComment(ctx.db.prisma, { ...input, user: ctx.user }))),

  deleteComment: graderProcedure.input(z.object({ id: idInput })).mutation(({ ctx, input }) => mapErrors(() => deleteCellComment(ctx.db.prisma, { id: input.id, user: ctx.user }))),

  /** Answers an open regrade request; with `scores`, also changes the points and returns the review (one notification). */
  answerRegrade: graderProcedure
    .input(z.object({ id: idInput, answer: z.string().max(2_000), scores: z.record(z.string().max(100), z.number().nullable()).optional() }))
    .mutation(({ ctx, input }) =>
      mapErrors(async () => {
        const request = await ctx.db.prisma.regradeRequest.findUnique({ where: { id: input.id }, select: { submissionId: true } });
        if (!request) throw new GradingError("NOT_FOUND", "No such regrade request.");
        const rubric = input.scores ? await rubricOf(request.submissionId, ctx.db.prisma) : null;
        return answerRegrade(ctx.db.prisma, { ...input, graderId: ctx.user.id }, rubric);
      }),
    ),

  /** The revisions of a feedback or cell comment, newest first (graders only: students see the current returned text). */
  history: graderProcedure.input(z.object({ text: gradingText })).query(({ ctx, input }) => mapErrors(() => gradingTextHistory(ctx.db.prisma, input.text))),

  /** The diff between two revisions of a feedback or cell comment (0: the empty text). */
  historyDiff: graderProcedure
    .input(z.object({ text: gradingText, from: revisionNumber, to: revisionNumber }))
    .query(({ ctx, input }) => mapErrors(() => gradingTextDiff(ctx.db.prisma, input.text, input.from, input.to))),

  /** The student's own returned review, cell comments and regrade history (NOT_FOUND for anyone else's). */
  myFeedback: protectedProcedure.input(z.object({ submissionId: idInput })).query(({ ctx, input }) =>
    mapErrors(async () => studentFeedback(ctx.db.prisma, input.submissionId, ctx.user, await rubricOf(input.submissionId, ctx.db.prisma).catch(() => null))),
  ),

  /** A student asks for a regrade of their own returned submission (one open request at a time). */
  requestRegrade: protectedProcedure
    .input(z.object({ submissionId: idInput, reason: z.string().max(2_000) }))
    .mutation(({ ctx, input }) => mapErrors(() => requestRegrade(ctx.db.prisma, { submissionId: input.submissionId, student: ctx.user, reason: input.reason }))),
});
