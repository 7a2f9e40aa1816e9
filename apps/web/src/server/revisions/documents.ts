import type { Prisma, PrismaClient } from "@course/db";
import { diffTexts, mergeTexts, normalizeText, type MergeRegion, type TextDiff } from "@course/revisions";
import { z } from "zod";
import { DomainError } from "../errors";

/**
 * Revisions of user-edited texts (Discourse's post_revisions, MediaWiki's edit conflicts): a TextDocument's
 * revisions are append-only and numbered 1, 2, 3... without gaps; `currentNumber` names the newest, 0 the empty
 * text before the first save. A save names the revision it started from; when the text moved on meanwhile it is
 * three-way merged, and when the edits overlap nothing is written and the caller gets a conflict holding the
 * user's text. No save ever replaces a revision it did not see.
 */

export const DOCUMENT_KINDS = ["review-feedback", "cell-comment", "wiki-page", "forum-post"] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** Longest text a revision stores (characters): a long review, far from a database or merge problem. */
export const MAX_REVISION_CHARS = 100_000;
export const MAX_SUMMARY_CHARS = 200;

/** Interactive transactions wait for the document lock; on PGlite (one connection) they also queue for it. */
export const REVISION_TRANSACTION = { maxWait: 30_000, timeout: 30_000 } as const;

export const SaveRevisionInput = z.object({
  documentId: z.string().min(1),
  /** the revision the author's text started from (0: the empty text before the first revision) */
  baseNumber: z.number().int().min(0),
  body: z.string().max(MAX_REVISION_CHARS, `A text may hold at most ${MAX_REVISION_CHARS} characters`),
  authorId: z.string().min(1).nullable(),
  summary: z.string().max(MAX_SUMMARY_CHARS, `A summary may hold at most ${MAX_SUMMARY_CHARS} characters`).default(""),
  /** the author's own mark for a small change (wiki "minor edit") */
  minor: z.boolean().default(false),
  /** the author's name when there is no account (an imported edit); shown when authorId is null */
  authorName: z.string().trim().min(1).max(200).nullish(),
  /** when the edit was made, for imported history; default now */
  createdAt: z.date().optional(),
});
export type SaveRevisionInput = z.input<typeof SaveRevisionInput>;

export interface RevisionMeta {
  number: number;
  authorId: string | null;
  createdAt: Date;
  summary: string;
  baseNumber: number;
  merged: boolean;
  minor: boolean;
}

export type SaveResult =
  /** a new revision: the author's text (fast path) or, when `merged`, its clean merge with revisions saved meanwhile */
  | { status: "saved"; number: number; body: string; merged: boolean }
  /** the text equals the current revision (or the author changed nothing): no revision added */
  | { status: "unchanged"; number: number; body: string }
  /**
   * Overlapping edits: nothing was written. `mine` is the author's text to show again, `theirs` the current text
   * (revision `currentNumber`, the base for the next try), `base` the text the author started from.
   */
  | { status: "conflict"; currentNumber: number; mine: string; theirs: string; base: string; regions: MergeRegion[] };

type Tx = Prisma.TransactionClient;

/** Creates an empty document (current revision 0). Owners are set by the kind's adapter (see feedback.ts). */
export async function createDocument(
  db: Tx | PrismaClient,
  kind: DocumentKind,
  owner: { reviewId?: string; cellCommentId?: string; wikiPageId?: string; forumPostId?: string } = {},
): Promise<{ id: string }> {
  return db.textDocument.create({ data: { kind, ...owner }, select: { id: true } });
}

/** Saves a revision in its own transaction; see `saveRevisionIn`. */
export async function saveRevision(prisma: PrismaClient, input: SaveRevisionInput): Promise<SaveResult> {
  return prisma.$transaction((tx) => saveRevisionIn(tx, input), REVISION_TRANSACTION);
}

/**
 * Saves `body` as the next revision inside the caller's transaction, so a caller can update its own row (say
 * Review.feedback) in the same commit. The document row is locked first (SELECT ... FOR UPDATE), so concurrent
 * saves of one document run one after another and each sees the revision the previous one wrote.
 */
export async function saveRevisionIn(tx: Tx, raw: SaveRevisionInput): Promise<SaveResult> {
  const input = parseInput(raw);
  const currentNumber = await lockDocument(tx, input.documentId);
  if (input.baseNumber > currentNumber) {
    throw new DomainError("BAD_REQUEST", `Revision ${input.baseNumber} of this text does not exist (the newest is ${currentNumber})`);
  }
  const mine = normalizeText(input.body);
  const theirs = await bodyAt(tx, input.documentId, currentNumber);
  let body = mine;
  let merged = false;
  if (input.baseNumber < currentNumber) {
    const base = await bodyAt(tx, input.documentId, input.baseNumber);
    const result = mergeTexts(base, mine, theirs);
    if (result.kind === "conflict") {
      return { status: "conflict", currentNumber, mine: result.mine, theirs: result.theirs, base: result.base, regions: result.regions };
    }
    body = result.text;
    merged = body !== mine;
  }
  if (body === theirs) return { status: "unchanged", number: currentNumber, body };
  const number = currentNumber + 1;
  // The unique (documentId, number) index backs up the lock: a second writer of the same number fails, never overwrites.
  await tx.revision.create({
    data: {
      documentId: input.documentId,
      number,
      authorId: input.authorId,
      authorName: input.authorName ?? null,
      summary: input.summary,
      body,
      baseNumber: input.baseNumber,
      merged,
      minor: input.minor,
      ...(input.createdAt ? { createdAt: input.createdAt } : {}),
    },
  });
  await tx.textDocument.update({ where: { id: input.documentId }, data: { currentNumber: number } });
  return { status: "saved", number, body, merged };
}

/** The current text and its number: what an editor loads, and the base it sends back with its save. */
export async function currentText(db: Tx | PrismaClient, documentId: string): Promise<{ number: number; body: string }> {
  const doc = await db.textDocument.findUnique({ where: { id: documentId }, select: { currentNumber: true } });
  if (!doc) throw new DomainError("NOT_FOUND", `No text document ${documentId}`);
  return { number: doc.currentNumber, body: await bodyAt(db, documentId, doc.currentNumber) };
}

/** The history, newest first, without bodies. */
export async function listRevisions(db: Tx | PrismaClient, documentId: string): Promise<Array<RevisionMeta & { authorName: string | null }>> {
  const rows = await db.revision.findMany({
    where: { documentId },
    orderBy: { number: "desc" },
    select: {
      number: true,
      authorId: true,
      createdAt: true,
      summary: true,
      baseNumber: true,
      merged: true,
      minor: true,
      authorName: true,
      author: { select: { name: true, email: true } },
    },
  });
  return rows.map(({ author, authorName, ...meta }) => ({ ...meta, authorName: author ? (author.name ?? author.email) : authorName }));
}

export async function getRevision(db: Tx | PrismaClient, documentId: string, number: number): Promise<RevisionMeta & { body: string }> {
  const row = await db.revision.findUnique({
    where: { documentId_number: { documentId, number } },
    select: { number: true, authorId: true, createdAt: true, summary: true, baseNumber: true, merged: true, minor: true, body: true },
  });
  if (!row) throw new DomainError("NOT_FOUND", `Revision ${number} of this text does not exist`);
  return row;
}

/** The diff from revision `from` to revision `to` (either order; 0 is the empty text). */
export async function diffRevisions(db: Tx | PrismaClient, documentId: string, from: number, to: number): Promise<TextDiff> {
  for (const n of [from, to]) if (!Number.isInteger(n) || n < 0) throw new DomainError("BAD_REQUEST", `Not a revision number: ${n}`);
  return diffTexts(await bodyAt(db, documentId, from), await bodyAt(db, documentId, to));
}

function parseInput(raw: SaveRevisionInput) {
  const parsed = SaveRevisionInput.safeParse(raw);
  if (!parsed.success) throw new DomainError("BAD_REQUEST", parsed.error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; "));
  return parsed.data;
}

async function lockDocument(tx: Tx, documentId: string): Promise<number> {
  const rows = await tx.$queryRaw<Array<{ currentNumber: number }>>`
    SELECT "currentNumber" FROM "TextDocument" WHERE id = ${documentId} FOR UPDATE`;
  const row = rows[0];
  if (!row) throw new DomainError("NOT_FOUND", `No text document ${documentId}`);
  return row.currentNumber;
}

async function bodyAt(db: Tx | PrismaClient, documentId: string, number: number): Promise<string> {
  if (number === 0) return "";
  const row = await db.revision.findUnique({ where: { documentId_number: { documentId, number } }, select: { body: true } });
  if (!row) throw new DomainError("NOT_FOUND", `Revision ${number} of this text does not exist`);
  return row.body;
}
