import type { RubricCriterion } from "@course/content";
import type { Prisma, PrismaClient } from "@course/db";
import { diffTexts, type MergeRegion } from "@course/revisions";
import { readNotebook } from "@course/notebook";
import { hasRole } from "../auth/roles";
import type { PublicUser } from "../auth/users";
import { notify } from "../notifications/notify";
import { createDocument, diffRevisions, listRevisions, REVISION_TRANSACTION, saveRevisionIn } from "../revisions/documents";
import { commentForEdit, feedbackForEdit, saveCommentRevision, saveFeedbackRevisionIn } from "../revisions/feedback";
import { checkRubricScores, rubricTotal, storedScores, type RubricScores } from "./rubric";
import { DomainError } from "../errors";

export const MAX_FEEDBACK = 20_000;
export const MAX_COMMENT = 5_000;
export const MAX_REASON = 2_000;

export const isGrader = (user: Pick<PublicUser, "role"> | null): boolean => user !== null && hasRole(user.role, "grader");

const submissionLink = (id: string) => `/homework/submissions/${id}`;

/** How many cells the notebook the grader sees has (the executed one, else the submitted one). */
export function cellCount(executed: string | null, submitted: string): number {
  for (const text of [executed, submitted]) {
    if (!text) continue;
    try {
      return readNotebook(text).cells.length;
    } catch {
      // try the next one
    }
  }
  return 0;
}

export interface SaveReviewInput {
  submissionId: string;
  graderId: string;
  scores: Record<string, number | null>;
  feedback: string;
  /** the feedback revision the grader's text started from (`feedbackBaseNumber` of the grader's view; 0 for a new review) */
  feedbackBaseNumber: number;
  /** "draft" keeps it from the student; "return" publishes it and notifies them. */
  action: "draft" | "return";
}

/** What a grader is shown when their feedback overlaps changes saved meanwhile: nothing was saved, not even the scores. */
export interface FeedbackConflict {
  /** the grader's own text, to keep in the box */
  mine: string;
  /** the feedback as saved meanwhile (revision `currentNumber`) */
  theirs: string;
  regions: MergeRegion[];
  /** the base for the next save */
  currentNumber: number;
  /** who saved the revisions the grader had not seen */
  by: string[];
}

/** Rolls the review's transaction back (scores included) when its feedback conflicts. */
class FeedbackConflictError extends DomainError {
  constructor(readonly conflict: FeedbackConflict) {
    super("CONFLICT", "The feedback conflicts with changes saved meanwhile.", { conflict });
  }
}

/**
 * Saves a grader's review. A returned review stays returned: changes to it are published with "return" again (which
 * notifies the student again); saving it as a draft is refused so a student never loses feedback they have seen.
 * The feedback is saved as a revision (server/revisions): when another grader saved it meanwhile the two are merged,
 * and when the edits overlap nothing is saved and the conflict comes back (`outcome: "conflict"`) with the grader's text.
 */
export async function saveReview(prisma: PrismaClient, input: SaveReviewInput, rubric: readonly RubricCriterion[]) {
  const feedback = input.feedback.trim();
  if (feedback.length > MAX_FEEDBACK) throw new DomainError("BAD_REQUEST", `Feedback is at most ${MAX_FEEDBACK} characters.`);
  const scores = checkRubricScores(rubric, input.scores, input.action === "return");
  try {
    const saved = await prisma.$transaction(async (tx) => {
      // Lock the submission first: two first saves of its review would otherwise both try to create the Review row.
      await tx.$queryRaw`SELECT id FROM "Submission" WHERE id = ${input.submissionId} FOR UPDATE`;
      const sub = await tx.submission.findUnique({ where: { id: input.submissionId }, select: { id: true, userId: true, fileName: true, review: { select: { status: true } } } });
      if (!sub) throw new DomainError("NOT_FOUND", "No such submission.");
      if (input.action === "draft" && sub.review?.status === "returned") {
        throw new DomainError("BAD_REQUEST", "This review was already returned; use “Return to student” to publish changes.");
      }
      const now = new Date();
      // The feedback column is written only by the revisions module; a new review starts from the empty revision 0.
      // The grader and scores are set after the feedback is saved, so older feedback taken into the history keeps
      // its own author.
      const { id: reviewId } = await tx.review.upsert({
        where: { submissionId: sub.id },
        create: { submissionId: sub.id, graderId: input.graderId, scores, feedback: "" },
        update: {},
        select: { id: true },
      });
      const result = await saveFeedbackRevisionIn(tx, { reviewId, baseNumber: input.feedbackBaseNumber, body: feedback, authorId: input.graderId });
      if (result.status === "conflict") {
        const by = await authorsBetween(tx, { reviewId }, input.feedbackBaseNumber, result.currentNumber + 1);
        throw new FeedbackConflictError({ mine: result.mine, theirs: result.theirs, regions: result.regions, currentNumber: result.currentNumber, by });
      }
      const mergedWith = result.status === "saved" && result.merged ? await authorsBetween(tx, { reviewId }, input.feedbackBaseNumber, result.number) : [];
      const review = await tx.review.update({
        where: { id: reviewId },
        data: { graderId: input.graderId, scores, ...(input.action === "return" ? { status: "returned" as const, returnedAt: now } : {}) },
        select: { id: true, status: true, returnedAt: true, updatedAt: true, scores: true, feedback: true },
      });
      if (input.action === "return") {
        const { total, max } = rubricTotal(rubric, scores);
        await notify(tx, sub.userId, "review-returned", {
          title: `${sub.fileName} was reviewed: ${total}/${max} points`,
          body: "A grader returned your homework with scores and feedback.",
          link: submissionLink(sub.id),
        });
      }
      return { ...review, feedbackBaseNumber: result.number, mergedWith };
    }, REVISION_TRANSACTION);
    return { outcome: "saved" as const, ...saved };
  } catch (error) {
    if (error instanceof FeedbackConflictError) return { outcome: "conflict" as const, conflict: error.conflict };
    throw error;
  }
}

/** Names of the authors of the revisions numbered above `after` and below `before` (saved by someone meanwhile). */
async function authorsBetween(db: Prisma.TransactionClient | PrismaClient, owner: { reviewId: string } | { cellCommentId: string }, after: number, before: number): Promise<string[]> {
  const rows = await db.revision.findMany({
    where: { document: "reviewId" in owner ? { reviewId: owner.reviewId } : { cellCommentId: owner.cellCommentId }, number: { gt: after, lt: before } },
    orderBy: { number: "asc" },
    select: { author: { select: { name: true, email: true } } },
  });
  return [...new Set(rows.map((r) => (r.author ? (r.author.name ?? r.author.email) : "someone")))];
}

async function commentableSubmission(prisma: PrismaClient, submissionId: string) {
  const sub = await prisma.submission.findUnique({ where: { id: submissionId }, select: { id: true, notebook: true, job: { select: { executedNotebook: true } } } });
  if (!sub) throw new DomainError("NOT_FOUND", "No such submission.");
  return sub;
}

function checkBody(body: string, max: number, what: string): string {
  const text = body.trim();
  if (text === "") throw new DomainError("BAD_REQUEST", `${what} is empty.`);
  if (text.length > max) throw new DomainError("BAD_REQUEST", `${what} is at most ${max} characters.`);
  return text;
}

/** A grader's comment under one cell (0-based index into the notebook's cells). */
export async function addCellComment(prisma: PrismaClient, input: { submissionId: string; authorId: string; cellIndex: number; body: string }) {
  const body = checkBody(input.body, MAX_COMMENT, "The comment");
  const sub = await commentableSubmission(prisma, input.submissionId);
  const cells = cellCount(sub.job.executedNotebook, sub.notebook);
  if (!Number.isInteger(input.cellIndex) || input.cellIndex < 0 || input.cellIndex >= cells) {
    throw new DomainError("BAD_REQUEST", `Cell ${input.cellIndex + 1} does not exist: the notebook has ${cells} cells.`);
  }
  // The comment and its first revision in one step, so its history starts with what its author wrote.
  return prisma.$transaction(async (tx) => {
    const comment = await tx.cellComment.create({ data: { submissionId: sub.id, authorId: input.authorId, cellIndex: input.cellIndex, body }, select: { id: true, cellIndex: true, body: true, createdAt: true } });
    const { id: documentId } = await createDocument(tx, "cell-comment", { cellCommentId: comment.id });
    await saveRevisionIn(tx, { documentId, baseNumber: 0, body, authorId: input.authorId });
    return comment;
  }, REVISION_TRANSACTION);
}

async function ownComment(prisma: PrismaClient, id: string, user: PublicUser) {
  const comment = await prisma.cellComment.findUnique({ where: { id }, select: { id: true, authorId: true } });
  if (!comment) throw new DomainError("NOT_FOUND", "No such comment.");
  if (comment.authorId !== user.id && !hasRole(user.role, "admin")) throw new DomainError("FORBIDDEN", "Only its author or an admin may change a comment.");
  return comment;
}

/**
 * Its author (or an admin) edits a comment from revision `baseNumber` (the view's `baseNumber`): merged over edits
 * saved meanwhile, or a conflict (`outcome: "conflict"`, nothing saved) carrying the editor's text.
 */
export async function editCellComment(prisma: PrismaClient, input: { id: string; user: PublicUser; body: string; baseNumber: number }) {
  const body = checkBody(input.body, MAX_COMMENT, "The comment");
  await ownComment(prisma, input.id, input.user);
  const result = await saveCommentRevision(prisma, { commentId: input.id, baseNumber: input.baseNumber, body, authorId: input.user.id });
  if (result.status === "conflict") {
    const by = await authorsBetween(prisma, { cellCommentId: input.id }, input.baseNumber, result.currentNumber + 1);
    const conflict: FeedbackConflict = {
      mine: result.mine,
      theirs: result.theirs,
      regions: result.regions,
      currentNumber: result.currentNumber,
      by,
    };
    return { outcome: "conflict" as const, conflict };
  }
  const comment = await prisma.cellComment.findUniqueOrThrow({ where: { id: input.id }, select: { id: true, body: true, editedAt: true } });
  const merged = result.status === "saved" && result.merged;
  const mergedWith = merged ? await authorsBetween(prisma, { cellCommentId: input.id }, input.baseNumber, result.number) : [];
  return { outcome: "saved" as const, ...comment, baseNumber: result.number, merged, mergedWith };
}

export async function deleteCellComment(prisma: PrismaClient, input: { id: string; user: PublicUser }) {
  await ownComment(prisma, input.id, input.user);
  await prisma.cellComment.delete({ where: { id: input.id } });
  return { deleted: true };
}

export interface AnswerRegradeInput {
  id: string;
  graderId: string;
  answer: string;
  /**
   * New points per criterion: the review is changed and returned with the answer, in one step and with one
   * notification. Absent: the answer alone (the points stay).
   */
  scores?: Record<string, number | null>;
}

/**
 * Answers an open regrade request (once) and tells the student; with `scores`, also changes the review's points and
 * returns it, so the student gets one notification that says both.
 */
export async function answerRegrade(prisma: PrismaClient, input: AnswerRegradeInput, rubric: readonly RubricCriterion[] | null = null) {
  const answer = checkBody(input.answer, MAX_REASON, "The answer");
  let scores: RubricScores | null = null;
  if (input.scores) {
    if (!rubric) throw new DomainError("BAD_REQUEST", "This submission's assignment no longer exists; its rubric is unknown, so its points cannot change.");
    scores = checkRubricScores(rubric, input.scores, true);
  }
  return prisma.$transaction(async (tx) => {
    const now = new Date();
    const updated = await tx.regradeRequest.updateMany({ where: { id: input.id, status: "open" }, data: { status: "answered", answer, answeredById: input.graderId, answeredAt: now } });
    const request = await tx.regradeRequest.findUnique({
      where: { id: input.id },
      select: { id: true, status: true, answer: true, answeredAt: true, studentId: true, submissionId: true, submission: { select: { fileName: true, review: { select: { scores: true } } } } },
    });
    if (!request) throw new DomainError("NOT_FOUND", "No such regrade request.");
    if (updated.count === 0) throw new DomainError("CONFLICT", "This regrade request was already answered.");
    let points = "";
    if (scores && rubric) {
      const before = rubricTotal(rubric, storedScores(request.submission.review?.scores ?? {}));
      await tx.review.upsert({
        where: { submissionId: request.submissionId },
        create: { submissionId: request.submissionId, graderId: input.graderId, scores, feedback: "", status: "returned", returnedAt: now },
        update: { graderId: input.graderId, scores, status: "returned", returnedAt: now },
      });
      const after = rubricTotal(rubric, scores);
      points = after.total === before.total ? `: points unchanged (${after.total}/${after.max})` : `: now ${after.total}/${after.max} points (was ${before.total})`;
    }
    await notify(tx, request.studentId, "regrade-answered", {
      title: `Your regrade request for ${request.submission.fileName} was answered${points}`,
      body: answer,
      link: submissionLink(request.submissionId),
    });
    return { id: request.id, status: request.status, answer: request.answer, answeredAt: request.answeredAt, scores };
  });
}

/**
 * A student asks for another look at a returned review: their own submission only, one open request at a time.
 * Every grader and admin is notified.
 */
export async function requestRegrade(prisma: PrismaClient, input: { submissionId: string; student: PublicUser; reason: string }) {
  const reason = checkBody(input.reason, MAX_REASON, "The reason");
  return prisma.$transaction(async (tx) => {
    // Lock the submission row so two simultaneous requests cannot both pass the "none open" check.
    const locked = await tx.$queryRaw<{ id: string; userId: string }[]>`SELECT id, "userId" FROM "Submission" WHERE id = ${input.submissionId} FOR UPDATE`;
    const sub = locked[0];
    if (!sub || sub.userId !== input.student.id) throw new DomainError("NOT_FOUND", "No such submission.");
    const review = await tx.review.findUnique({ where: { submissionId: sub.id }, select: { status: true } });
    if (review?.status !== "returned") throw new DomainError("BAD_REQUEST", "You can ask for a regrade once your review has been returned.");
    const open = await tx.regradeRequest.count({ where: { submissionId: sub.id, status: "open" } });
    if (open > 0) throw new DomainError("CONFLICT", "You already have an open regrade request for this submission; wait for its answer.");
    const created = await tx.regradeRequest.create({ data: { submissionId: sub.id, studentId: input.student.id, reason }, select: { id: true, status: true, reason: true, createdAt: true } });
    const { fileName } = await tx.submission.findUniqueOrThrow({ where: { id: sub.id }, select: { fileName: true } });
    const graders = await tx.user.findMany({ where: { role: { in: ["grader", "admin"] } }, select: { id: true } });
    const student = input.student.name ? `${input.student.name} (${input.student.email})` : input.student.email;
    await notify(tx, graders.map((g) => g.id), "regrade-requested", { title: `${student} asked for a regrade of ${fileName}`, body: reason, link: `/grading/submissions/${sub.id}` });
    return created;
  });
}

const regradeSelect = {
  id: true,
  reason: true,
  status: true,
  answer: true,
  answeredAt: true,
  createdAt: true,
  answeredBy: { select: { name: true, email: true } },
} as const;

const commentSelect = { id: true, cellIndex: true, body: true, createdAt: true, editedAt: true, author: { select: { id: true, name: true, email: true } } } as const;

/**
 * What the student sees of the grading of their own submission: the review and cell comments once returned (never
 * a draft), and their regrade requests. Anyone else gets NOT_FOUND, as for a submission that does not exist.
 */
export async function studentFeedback(prisma: PrismaClient, submissionId: string, user: PublicUser, rubric: readonly RubricCriterion[] | null) {
  const sub = await prisma.submission.findUnique({ where: { id: submissionId }, select: { id: true, userId: true } });
  if (!sub || sub.userId !== user.id) throw new DomainError("NOT_FOUND", "No such submission.");
  const [review, regrades] = await Promise.all([
    prisma.review.findUnique({ where: { submissionId }, select: { status: true, scores: true, feedback: true, returnedAt: true } }),
    prisma.regradeRequest.findMany({ where: { submissionId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], select: regradeSelect }),
  ]);
  const returned = review?.status === "returned" ? review : null;
  const comments = returned ? await prisma.cellComment.findMany({ where: { submissionId }, orderBy: [{ cellIndex: "asc" }, { createdAt: "asc" }], select: commentSelect }) : [];
  const scores = returned ? storedScores(returned.scores) : {};
  return {
    review: returned
      ? {
          returnedAt: returned.returnedAt,
          feedback: returned.feedback,
          criteria: (rubric ?? []).map((c) => ({ id: c.id, title: c.title, description: c.description, maxPoints: c.maxPoints, points: scores[c.id] ?? null })),
          ...rubricTotal(rubric ?? [], scores),
        }
      : null,
    comments: comments.map((c) => ({ id: c.id, cellIndex: c.cellIndex, body: c.body, createdAt: c.createdAt, editedAt: c.editedAt, author: c.author?.name ?? c.author?.email ?? "A grader" })),
    regrades: regrades.map((r) => ({ id: r.id, reason: r.reason, status: r.status, answer: r.answer, answeredAt: r.answeredAt, createdAt: r.createdAt, answeredBy: r.answeredBy?.name ?? r.answeredBy?.email ?? null })),
    canRequestRegrade: returned !== null && !regrades.some((r) => r.status === "open"),
  };
}

/** Everything a grader needs on one submission's review page. */
export async function graderView(prisma: PrismaClient, submissionId: string, rubric: readonly RubricCriterion[] | null) {
  const sub = await prisma.submission.findUnique({
    where: { id: submissionId },
    select: {
      id: true,
      assignmentSlug: true,
      fileName: true,
      createdAt: true,
      user: { select: { id: true, email: true, name: true } },
      review: { select: { id: true, status: true, scores: true, feedback: true, returnedAt: true, updatedAt: true, grader: { select: { name: true, email: true } } } },
      cellComments: { orderBy: [{ cellIndex: "asc" }, { createdAt: "asc" }], select: commentSelect },
      regradeRequests: { orderBy: [{ createdAt: "asc" }, { id: "asc" }], select: regradeSelect },
    },
  });
  if (!sub) throw new DomainError("NOT_FOUND", "No such submission.");
  const scores = storedScores(sub.review?.scores ?? {});
  // The editors' texts and bases come from the revision history (what a save is merged against), not the columns.
  const [feedback, comments] = await Promise.all([
    sub.review ? feedbackForEdit(prisma, sub.review.id) : { baseNumber: 0, body: "" },
    Promise.all(sub.cellComments.map(async (c) => ({ ...c, edit: await commentForEdit(prisma, c.id) }))),
  ]);
  return {
    id: sub.id,
    assignmentSlug: sub.assignmentSlug,
    fileName: sub.fileName,
    createdAt: sub.createdAt,
    student: sub.user,
    review: sub.review
      ? { status: sub.review.status, scores, feedback: sub.review.feedback, returnedAt: sub.review.returnedAt, updatedAt: sub.review.updatedAt, grader: sub.review.grader?.name ?? sub.review.grader?.email ?? null }
      : null,
    /** the feedback text for the editor and the revision it is (send it back as `feedbackBaseNumber`; 0 before any review) */
    feedback: { body: feedback.body, baseNumber: feedback.baseNumber },
    rubric: (rubric ?? []).map((c) => ({ ...c, points: scores[c.id] ?? null })),
    total: rubricTotal(rubric ?? [], scores),
    comments: comments.map((c) => ({
      id: c.id,
      cellIndex: c.cellIndex,
      body: c.edit.body,
      baseNumber: c.edit.baseNumber,
      createdAt: c.createdAt,
      editedAt: c.editedAt,
      authorId: c.author?.id ?? null,
      author: c.author?.name ?? c.author?.email ?? "A grader",
    })),
    regrades: sub.regradeRequests.map((r) => ({ id: r.id, reason: r.reason, status: r.status, answer: r.answer, answeredAt: r.answeredAt, createdAt: r.createdAt, answeredBy: r.answeredBy?.name ?? r.answeredBy?.email ?? null })),
  };
}

/** A text of the grading whose history graders may read: a review's feedback or a cell comment. */
export type GradingText = { of: "feedback"; submissionId: string } | { of: "comment"; commentId: string };

async function documentOf(prisma: PrismaClient, text: GradingText): Promise<string | null> {
  if (text.of === "feedback") {
    const sub = await prisma.submission.findUnique({ where: { id: text.submissionId }, select: { review: { select: { feedbackDocument: { select: { id: true } } } } } });
    if (!sub) throw new DomainError("NOT_FOUND", "No such submission.");
    return sub.review?.feedbackDocument?.id ?? null;
  }
  const comment = await prisma.cellComment.findUnique({ where: { id: text.commentId }, select: { document: { select: { id: true } } } });
  if (!comment) throw new DomainError("NOT_FOUND", "No such comment.");
  return comment.document?.id ?? null;
}

/** The revisions of a feedback or comment, newest first ([] before its first save); graders only, students see the current returned text. */
export async function gradingTextHistory(prisma: PrismaClient, text: GradingText) {
  const documentId = await documentOf(prisma, text);
  const revisions = documentId ? await listRevisions(prisma, documentId) : [];
  return revisions.map((r) => ({ number: r.number, author: r.authorName ?? "someone", createdAt: r.createdAt, summary: r.summary, baseNumber: r.baseNumber, merged: r.merged }));
}

/** The diff between two revisions (0: the empty text) of a feedback or comment. */
export async function gradingTextDiff(prisma: PrismaClient, text: GradingText, from: number, to: number) {
  const documentId = await documentOf(prisma, text);
  if (!documentId) {
    if (from === 0 && to === 0) return diffTexts("", "");
    throw new DomainError("NOT_FOUND", `Revision ${Math.max(from, to)} of this text does not exist`);
  }
  return diffRevisions(prisma, documentId, from, to);
}
