import { randomUUID } from "node:crypto";
import type { Prisma, PrismaClient } from "@course/db";
import { normalizeText } from "@course/revisions";
import {
  currentText,
  listRevisions,
  REVISION_TRANSACTION,
  saveRevisionIn,
  type DocumentKind,
  type SaveResult,
} from "./documents";
import { DomainError } from "../errors";

type Tx = Prisma.TransactionClient;

/**
 * A text that lives in a column of another row (Review.feedback, CellComment.body) and keeps its history in a
 * TextDocument. The column stays the copy that pages read; every save through here appends a revision and updates
 * the column in the same transaction. A value written to the column by older code paths is taken into the history
 * (as a revision by the row's author) before anything is merged over it, so it is never lost either.
 */
export interface OwnedTextKind {
  kind: DocumentKind;
  /** what this text is, for error messages */
  label: string;
  /** the text in its column and who wrote it, or null when the owner row does not exist */
  read(tx: Tx | PrismaClient, ownerId: string): Promise<{ text: string; authorId: string | null } | null>;
  /** the document of this owner, or null */
  findDocument(tx: Tx | PrismaClient, ownerId: string): Promise<{ id: string } | null>;
  /** creates the owner's document unless it exists (concurrent first saves create one) */
  insertDocument(tx: Tx, ownerId: string): Promise<void>;
  write(tx: Tx, ownerId: string, text: string, authorId: string | null): Promise<void>;
}

export interface OwnedTextForEdit {
  documentId: string;
  /** send this back as baseNumber with the save */
  baseNumber: number;
  body: string;
}

export interface SaveOwnedTextInput {
  ownerId: string;
  baseNumber: number;
  body: string;
  authorId: string | null;
  summary?: string;
}

/**
 * What an editor loads: the current text and its revision number. It writes only when the column is not yet in
 * the history (the first edit after revisions were introduced, or after an older code path wrote the column).
 */
export async function openForEdit(prisma: PrismaClient, spec: OwnedTextKind, ownerId: string): Promise<OwnedTextForEdit> {
  const owned = await spec.read(prisma, ownerId);
  if (!owned) throw new DomainError("NOT_FOUND", `No ${spec.label} ${ownerId}`);
  const doc = await spec.findDocument(prisma, ownerId);
  if (doc) {
    const current = await currentText(prisma, doc.id);
    if (current.body === normalizeText(owned.text)) return { documentId: doc.id, baseNumber: current.number, body: current.body };
  }
  return prisma.$transaction(async (tx) => {
    const { documentId, number, body } = await syncedDocument(tx, spec, ownerId);
    return { documentId, baseNumber: number, body };
  }, REVISION_TRANSACTION);
}

/** Saves a new version in its own transaction; see `saveOwnedTextIn`. */
export async function saveOwnedText(prisma: PrismaClient, spec: OwnedTextKind, input: SaveOwnedTextInput): Promise<SaveResult> {
  return prisma.$transaction((tx) => saveOwnedTextIn(tx, spec, input), REVISION_TRANSACTION);
}

/**
 * Saves inside the caller's transaction: merges over revisions saved since `baseNumber`, appends the revision and
 * writes the column. On a conflict nothing is written and the result carries the author's text.
 */
export async function saveOwnedTextIn(tx: Tx, spec: OwnedTextKind, input: SaveOwnedTextInput): Promise<SaveResult> {
  const { documentId } = await syncedDocument(tx, spec, input.ownerId);
  const result = await saveRevisionIn(tx, { documentId, baseNumber: input.baseNumber, body: input.body, authorId: input.authorId, summary: input.summary });
  if (result.status === "saved") await spec.write(tx, input.ownerId, result.body, input.authorId);
  return result;
}

/** The owner's revisions, newest first ([] before its first save). */
export async function ownedTextHistory(prisma: PrismaClient, spec: OwnedTextKind, ownerId: string) {
  const doc = await spec.findDocument(prisma, ownerId);
  return doc ? { documentId: doc.id, revisions: await listRevisions(prisma, doc.id) } : { documentId: null, revisions: [] };
}

/** Creates the document if needed, locks it, and appends the column's text when it differs from the current revision. */
async function syncedDocument(tx: Tx, spec: OwnedTextKind, ownerId: string): Promise<{ documentId: string; number: number; body: string }> {
  const owned = await spec.read(tx, ownerId);
  if (!owned) throw new DomainError("NOT_FOUND", `No ${spec.label} ${ownerId}`);
  await spec.insertDocument(tx, ownerId);
  const doc = await spec.findDocument(tx, ownerId);
  if (!doc) throw new DomainError("NOT_FOUND", `No ${spec.label} ${ownerId}`);
  await tx.$queryRaw`SELECT id FROM "TextDocument" WHERE id = ${doc.id} FOR UPDATE`;
  // Read the column again under the lock: a concurrent save may have written it while we waited.
  const column = (await spec.read(tx, ownerId)) ?? owned;
  const current = await currentText(tx, doc.id);
  if (current.body === normalizeText(column.text)) return { documentId: doc.id, ...current };
  const summary = current.number === 0 ? "text from before the revision history" : "text saved outside the revision history";
  const result = await saveRevisionIn(tx, { documentId: doc.id, baseNumber: current.number, body: column.text, authorId: column.authorId, summary });
  const number = result.status === "saved" ? result.number : current.number;
  return { documentId: doc.id, number, body: normalizeText(column.text) };
}

/** Ids for documents inserted with raw SQL (ON CONFLICT needs it); any unique string fits the column. */
export function newDocumentId(): string {
  return `doc_${randomUUID()}`;
}
