import { randomUUID } from "node:crypto";
import type { Prisma, PrismaClient } from "@course/db";
import { z } from "zod";
import { DomainError } from "../errors";

export { draftKey } from "../../lib/forum-draft-keys";

/**
 * Composer drafts kept on the server (Discourse's drafts), so a reply started on one device is there on another.
 * Each draft has a `sequence`: a save names the sequence it last saw and gets the next one; a save naming an older
 * sequence (a device whose copy went stale because another saved, sent or discarded the draft since) is refused with
 * the current draft, so no device silently overwrites another's newer text.
 */

type Tx = Prisma.TransactionClient;

/** "new-topic", "new-topic:<categorySlug>", "topic:<topicId>" (a reply) or "edit:<postId>". */
export const DRAFT_KEY = /^(?:new-topic(?::[a-z0-9][a-z0-9-]{0,99})?|topic:[A-Za-z0-9_-]{1,100}|edit:[A-Za-z0-9_-]{1,100})$/;
export const draftKeySchema = z.string().regex(DRAFT_KEY, "A draft key is new-topic, new-topic:<category>, topic:<id> or edit:<id>.");
export const MAX_DRAFTS = 100;
/**
 * A draft may run a little past a post's limit (MAX_POST_CHARS): the text is kept while its author trims it, and
 * sending it says what is too long.
 */
export const MAX_DRAFT_CHARS = 40_000;
export const MAX_DRAFT_TITLE_CHARS = 400;

export interface DraftView {
  key: string;
  title: string;
  body: string;
  replyToNumber: number | null;
  categoryId: string | null;
  sequence: number;
  updatedAt: Date;
}

const draftSelect = { key: true, title: true, body: true, replyToNumber: true, categoryId: true, sequence: true, updatedAt: true } as const;

export async function getDraft(prisma: PrismaClient, userId: string, key: string): Promise<DraftView | null> {
  return prisma.forumDraft.findUnique({ where: { userId_key: { userId, key } }, select: draftSelect });
}

/** The member's drafts, newest first (without their text). */
export async function listDrafts(prisma: PrismaClient, userId: string) {
  return prisma.forumDraft.findMany({ where: { userId }, orderBy: { updatedAt: "desc" }, select: { key: true, title: true, sequence: true, updatedAt: true } });
}

export interface SaveDraftInput {
  userId: string;
  key: string;
  title?: string;
  body: string;
  replyToNumber?: number | null;
  categoryId?: string | null;
  /** the sequence this device last saw (0 for a draft it has not saved before) */
  sequence: number;
}

function stale(current: DraftView | null): DomainError {
  return new DomainError(
    "CONFLICT",
    current ? "This draft was changed on another device or tab since you opened it." : "This draft was sent or discarded on another device or tab.",
    { draft: current ? { ...current, updatedAt: current.updatedAt.toISOString() } : null },
  );
}

/** Saves the draft as the next sequence, or refuses a stale device's copy (CONFLICT, with the current draft). */
export async function saveDraft(prisma: PrismaClient, input: SaveDraftInput): Promise<{ sequence: number; updatedAt: Date }> {
  if (!DRAFT_KEY.test(input.key)) throw new DomainError("BAD_REQUEST", "A draft key is new-topic, new-topic:<category>, topic:<id> or edit:<id>.");
  if (input.body.length > MAX_DRAFT_CHARS) throw new DomainError("BAD_REQUEST", `A draft may hold at most ${MAX_DRAFT_CHARS} characters.`);
  const title = (input.title ?? "").slice(0, MAX_DRAFT_TITLE_CHARS);
  const data = { title, body: input.body, replyToNumber: input.replyToNumber ?? null, categoryId: input.categoryId ?? null };
  const where = { userId: input.userId, key: input.key };
  // Compare-and-set on the sequence: of two saves naming the same sequence, one moves it and the other finds nothing.
  const moved = await prisma.forumDraft.updateMany({ where: { ...where, sequence: input.sequence }, data: { ...data, sequence: input.sequence + 1 } });
  if (moved.count === 0) {
    if (input.sequence !== 0) throw stale(await getDraft(prisma, input.userId, input.key));
    if ((await prisma.forumDraft.count({ where: { userId: input.userId } })) >= MAX_DRAFTS) {
      throw new DomainError("BAD_REQUEST", `You have ${MAX_DRAFTS} unsent drafts, the most one may keep. Send or discard some first.`);
    }
    const created = await prisma.$executeRaw`
      INSERT INTO "ForumDraft" (id, "userId", key, title, body, "replyToNumber", "categoryId", sequence, "updatedAt")
      VALUES (${`fd_${randomUUID()}`}, ${input.userId}, ${input.key}, ${data.title}, ${data.body}, ${data.replyToNumber}, ${data.categoryId}, 1, now())
      ON CONFLICT ("userId", key) DO NOTHING`;
    if (created === 0) throw stale(await getDraft(prisma, input.userId, input.key));
  }
  const saved = await prisma.forumDraft.findUniqueOrThrow({ where: { userId_key: where }, select: { sequence: true, updatedAt: true } });
  return saved;
}

/**
 * Discards a draft. With `sequence`, only that version (a stale device cannot discard a newer draft); without, any.
 */
export async function deleteDraft(prisma: PrismaClient | Tx, input: { userId: string; key: string; sequence?: number }): Promise<{ deleted: boolean }> {
  const { count } = await prisma.forumDraft.deleteMany({ where: { userId: input.userId, key: input.key, ...(input.sequence !== undefined ? { sequence: input.sequence } : {}) } });
  if (count === 0 && input.sequence !== undefined) {
    const current = await prisma.forumDraft.findUnique({ where: { userId_key: { userId: input.userId, key: input.key } }, select: draftSelect });
    if (current) throw stale(current);
  }
  return { deleted: count > 0 };
}
