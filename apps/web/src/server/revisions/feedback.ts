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
import { Prisma } from "@course/db";

/**
 * A text kept in a column of its owner row (a review, a cell comment): its document is found and created by the
 * owner's id in the TextDocument column named `owner`; `read` and `write` reach the text's own column.
 */
function ownedBy(owner: "reviewId" | "cellCommentId", kind: OwnedTextKind["kind"], label: string, text: Pick<OwnedTextKind, "read" | "write">): OwnedTextKind {
  const column = Prisma.raw(`"${owner}"`);
  const kindValue = Prisma.raw(`'${kind}'`);
  return {
    kind,
    label,
    ...text,
    findDocument: (db, ownerId) => db.textDocument.findUnique({ where: owner === "reviewId" ? { reviewId: ownerId } : { cellCommentId: ownerId }, select: { id: true } }),
    async insertDocument(tx, ownerId) {
      await tx.$executeRaw`
        INSERT INTO "TextDocument" (id, kind, ${column}, "updatedAt") VALUES (${newDocumentId()}, ${kindValue}, ${ownerId}, now())
        ON CONFLICT (${column}) DO NOTHING`;
    },
  };
}

/** A grader's feedback on a submission (Review.feedback), with its history. */
export const reviewFeedback = ownedBy("reviewId", "review-feedback", "review", {
  read: (db, id) => db.review.findUnique({ where: { id }, select: { feedback: true, graderId: true } }).then((r) => r && { text: r.feedback, authorId: r.graderId }),
  write: async (tx, id, text) => void (await tx.review.update({ where: { id }, data: { feedback: text } })),
});

/** A grader's comment under a cell (CellComment.body), with its history. */
export const cellComment = ownedBy("cellCommentId", "cell-comment", "cell comment", {
  read: (db, id) => db.cellComment.findUnique({ where: { id }, select: { body: true, authorId: true } }).then((c) => c && { text: c.body, authorId: c.authorId }),
  write: async (tx, id, text) => void (await tx.cellComment.update({ where: { id }, data: { body: text, editedAt: new Date() } })),
});

type Save = Omit<SaveOwnedTextInput, "ownerId">;

/** What callers do with one kind of text, its owner's id named `key` in the inputs. */
function textOperations<K extends string>(spec: OwnedTextKind, key: K) {
  type Input = Save & Record<K, string>;
  const owned = (input: Input) => ({ ...input, ownerId: input[key] });
  return {
    forEdit: (prisma: PrismaClient, ownerId: string): Promise<OwnedTextForEdit> => openForEdit(prisma, spec, ownerId),
    /** Saves an edit as a revision and writes the owner's column (merged or a conflict; see SaveResult). */
    save: (prisma: PrismaClient, input: Input): Promise<SaveResult> => saveOwnedText(prisma, spec, owned(input)),
    /** The same inside a transaction the caller already holds (say the one that also writes a review's scores). */
    saveIn: (tx: Prisma.TransactionClient, input: Input): Promise<SaveResult> => saveOwnedTextIn(tx, spec, owned(input)),
    history: (prisma: PrismaClient, ownerId: string) => ownedTextHistory(prisma, spec, ownerId),
  };
}

export const {
  forEdit: feedbackForEdit,
  save: saveFeedbackRevision,
  saveIn: saveFeedbackRevisionIn,
  history: feedbackHistory,
} = textOperations(reviewFeedback, "reviewId");

export const {
  forEdit: commentForEdit,
  save: saveCommentRevision,
  saveIn: saveCommentRevisionIn,
  history: commentHistory,
} = textOperations(cellComment, "commentId");
