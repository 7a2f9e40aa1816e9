import type { PrismaClient } from "@course/db";
import type { SaveResult } from "./documents";
import {
  newDocumentId,
  openForEdit,
  ownedTextHistory,
  saveOwnedText,
  saveOwnedTextIn,
  type OwnedTextForEdit,
  type OwnedTextKind,
  type SaveOwnedTextInput,
} from "./owned-texts";
import type { Prisma } from "@course/db";

/** A grader's feedback on a submission (Review.feedback), with its history. */
export const reviewFeedback: OwnedTextKind = {
  kind: "review-feedback",
  label: "review",
  async read(db, reviewId) {
    const review = await db.review.findUnique({ where: { id: reviewId }, select: { feedback: true, graderId: true } });
    return review && { text: review.feedback, authorId: review.graderId };
  },
  findDocument: (db, reviewId) => db.textDocument.findUnique({ where: { reviewId }, select: { id: true } }),
  async insertDocument(tx, reviewId) {
    await tx.$executeRaw`
      INSERT INTO "TextDocument" (id, kind, "reviewId", "updatedAt") VALUES (${newDocumentId()}, 'review-feedback', ${reviewId}, now())
      ON CONFLICT ("reviewId") DO NOTHING`;
  },
  async write(tx, reviewId, text) {
    await tx.review.update({ where: { id: reviewId }, data: { feedback: text } });
  },
};

/** A grader's comment under a cell (CellComment.body), with its history. */
export const cellComment: OwnedTextKind = {
  kind: "cell-comment",
  label: "cell comment",
  async read(db, commentId) {
    const comment = await db.cellComment.findUnique({ where: { id: commentId }, select: { body: true, authorId: true } });
    return comment && { text: comment.body, authorId: comment.authorId };
  },
  findDocument: (db, cellCommentId) => db.textDocument.findUnique({ where: { cellCommentId }, select: { id: true } }),
  async insertDocument(tx, cellCommentId) {
    await tx.$executeRaw`
      INSERT INTO "TextDocument" (id, kind, "cellCommentId", "updatedAt") VALUES (${newDocumentId()}, 'cell-comment', ${cellCommentId}, now())
      ON CONFLICT ("cellCommentId") DO NOTHING`;
  },
  async write(tx, commentId, text) {
    await tx.cellComment.update({ where: { id: commentId }, data: { body: text, editedAt: new Date() } });
  },
};

type Save = Omit<SaveOwnedTextInput, "ownerId">;

export const feedbackForEdit = (prisma: PrismaClient, reviewId: string): Promise<OwnedTextForEdit> => openForEdit(prisma, reviewFeedback, reviewId);
/** Saves a grader's feedback as a revision and writes Review.feedback (merged or a conflict; see SaveResult). */
export const saveFeedbackRevision = (prisma: PrismaClient, input: Save & { reviewId: string }): Promise<SaveResult> =>
  saveOwnedText(prisma, reviewFeedback, { ...input, ownerId: input.reviewId });
/** The same inside a transaction the caller already holds (say the one that also writes the scores). */
export const saveFeedbackRevisionIn = (tx: Prisma.TransactionClient, input: Save & { reviewId: string }): Promise<SaveResult> =>
  saveOwnedTextIn(tx, reviewFeedback, { ...input, ownerId: input.reviewId });
export const feedbackHistory = (prisma: PrismaClient, reviewId: string) => ownedTextHistory(prisma, reviewFeedback, reviewId);

export const commentForEdit = (prisma: PrismaClient, commentId: string): Promise<OwnedTextForEdit> => openForEdit(prisma, cellComment, commentId);
/** Saves an edit of a cell comment as a revision and writes CellComment.body and editedAt. */
export const saveCommentRevision = (prisma: PrismaClient, input: Save & { commentId: string }): Promise<SaveResult> =>
  saveOwnedText(prisma, cellComment, { ...input, ownerId: input.commentId });
export const saveCommentRevisionIn = (tx: Prisma.TransactionClient, input: Save & { commentId: string }): Promise<SaveResult> =>
  saveOwnedTextIn(tx, cellComment, { ...input, ownerId: input.commentId });
export const commentHistory = (prisma: PrismaClient, commentId: string) => ownedTextHistory(prisma, cellComment, commentId);
