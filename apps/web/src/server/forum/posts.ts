import type { Prisma, PrismaClient } from "@course/db";
import { normalizeText, type MergeRegion } from "@course/revisions";
import { DomainError } from "../errors";
import { MAX_SUMMARY_CHARS, REVISION_TRANSACTION, saveRevisionIn } from "../revisions/documents";
import { htmlToText } from "../wiki/render";
import { writeTransaction } from "../page-cache";
import { cookPost, type Cooked } from "./cook";
import { deleteDraft, draftKey } from "./drafts";
import { checkPostAllowed } from "./limits";
import { publishPostCreated, publishPostUpdated } from "./live";
import { logModeration } from "./moderation-log";
import { postPath } from "./paths";
import { canDeletePost, canEditPost, canReply, canRestorePost, checkWrite, isModerator, type ForumActor } from "./permissions";
import { syncPostSearch } from "./search";
import { unsolveIfAnswerIn } from "./solved";
import { deleteTopic, restoreTopic } from "./topics";
import { mentionedUserIds, notifyEditedPostIn, notifyNewPostIn } from "./tracking";
import { recordVisit, WIKI_EDIT_TRUST_LEVEL } from "./trust";
import { ensureUsername } from "./users";

/**
 * The forum's post write paths. A post's number is its topic's `highestPostNumber + 1`, taken under a lock on the
 * topic row (SELECT ... FOR UPDATE), so numbers are unique and gapless however many reply at once; its text is a
 * TextDocument of kind "forum-post" (server/revisions: edits are revisions, merged or refused as a conflict, never
 * lost), and its HTML is rendered once per revision (`cooked`). Each write updates the topic's counters and the search
 * index in the same transaction.
 */

type Tx = Prisma.TransactionClient;

/** Discourse's default limit; the revision store holds more, a post should not. */
export const MAX_POST_CHARS = 32_000;

/** The platform as an author (lesson threads): no account, its name kept on the revision. */
export interface SystemAuthor {
  id: null;
  name: string;
}
export type PostAuthor = ForumActor | SystemAuthor;

/** A post's text as stored: line endings normalised, and not empty or too long. */
export function postBody(raw: string): string {
  const body = normalizeText(raw);
  if (body.trim() === "") throw new DomainError("BAD_REQUEST", "A post needs some text.");
  if (body.length > MAX_POST_CHARS) throw new DomainError("BAD_REQUEST", `A post may hold at most ${MAX_POST_CHARS} characters (this one has ${body.length}).`);
  return body;
}

interface LockedTopic {
  id: string;
  slug: string;
  title: string;
  authorId: string | null;
  highestPostNumber: number;
  closedAt: Date | null;
  archivedAt: Date | null;
  deletedAt: Date | null;
  unlisted: boolean;
}

/** Locks the topic row until the transaction ends: the one place post numbers are taken. */
async function lockTopic(tx: Tx, topicId: string): Promise<LockedTopic> {
  const rows = await tx.$queryRaw<LockedTopic[]>`
    SELECT id, slug, title, "authorId", "highestPostNumber", "closedAt", "archivedAt", "deletedAt", unlisted
    FROM "ForumTopic" WHERE id = ${topicId} FOR UPDATE`;
  const topic = rows[0];
  if (!topic) throw new DomainError("NOT_FOUND", "There is no such topic.");
  return topic;
}

export interface InsertPostInput {
  topicId: string;
  author: PostAuthor;
  /** normalised by postBody */
  body: string;
  cooked: Cooked;
  replyToNumber?: number | null;
  wiki?: boolean;
  at?: Date;
  /** skip the closed/archived check (the first post of a new topic, written by the code that created it) */
  firstPost?: boolean;
}

/**
 * Appends a post to a topic inside the caller's transaction: the next number, the post, its first revision, the
 * topic's counters, the search document, the author's topic state and stats, and a notification to the author of the
 * post (or topic) it answers.
 */
export async function insertPostIn(tx: Tx, input: InsertPostInput) {
  const topic = await lockTopic(tx, input.topicId);
  const actorRole = "role" in input.author ? input.author.role : "admin";
  if (!input.firstPost) {
    if (topic.deletedAt) throw new DomainError("NOT_FOUND", "This topic was deleted.");
    if (topic.archivedAt) throw new DomainError("FORBIDDEN", "This topic is archived: it takes no more replies.");
    if (topic.closedAt && !isModerator(actorRole)) throw new DomainError("FORBIDDEN", "This topic is closed: it takes no more replies.");
  }
  const number = topic.highestPostNumber + 1;
  const replyTo = input.replyToNumber ?? null;
  if (replyTo !== null && (replyTo < 1 || replyTo >= number)) throw new DomainError("BAD_REQUEST", `There is no post ${replyTo} in this topic to reply to.`);
  const at = input.at ?? new Date();
  const post = await tx.forumPost.create({
    data: {
      topicId: topic.id,
      number,
      authorId: input.author.id,
      replyToNumber: replyTo,
      wiki: input.wiki ?? false,
      raw: input.body,
      cooked: input.cooked.html,
      version: 1,
      createdAt: at,
    },
    select: { id: true, number: true, createdAt: true, kind: true, deletedAt: true, hiddenAt: true },
  });
  const doc = await tx.textDocument.create({ data: { kind: "forum-post", forumPostId: post.id }, select: { id: true } });
  await saveRevisionIn(tx, { documentId: doc.id, baseNumber: 0, body: input.body, authorId: input.author.id, authorName: input.author.id ? null : input.author.name, createdAt: at });
  const updated = await tx.forumTopic.update({
    where: { id: topic.id },
    data: {
      highestPostNumber: number,
      ...(number > 1 ? { replyCount: { increment: 1 }, bumpedAt: at } : {}),
      lastPostedAt: at,
      lastPosterId: input.author.id,
    },
    select: { id: true, slug: true, title: true, unlisted: true, deletedAt: true, categoryId: true, category: { select: { lessonSlug: true } } },
  });
  if (replyTo !== null) await tx.forumPost.update({ where: { topicId_number: { topicId: topic.id, number: replyTo } }, data: { replyCount: { increment: 1 } } });
  await syncPostSearch(tx, updated, post, input.cooked.plainText);
  if (input.author.id) {
    const userId = input.author.id;
    const first = number === 1;
    // Discourse: a topic's creator watches it, a replier tracks it (unless they chose a level themselves).
    await tx.forumTopicUser.upsert({
      where: { userId_topicId: { userId, topicId: topic.id } },
      create: { userId, topicId: topic.id, posted: true, lastReadPostNumber: number, notificationLevel: first ? "watching" : "tracking", levelReason: first ? "created" : "replied" },
      update: { posted: true, lastReadPostNumber: { set: number }, lastVisitedAt: at },
    });
    await tx.$executeRaw`
      UPDATE "ForumTopicUser" SET "notificationLevel" = 'tracking', "levelReason" = 'replied'
      WHERE "userId" = ${userId} AND "topicId" = ${topic.id} AND "notificationLevel" = 'normal' AND "levelReason" = ''`;
    await tx.forumUserStat.upsert({
      where: { userId },
      create: { userId, postCount: 1, topicCount: first ? 1 : 0 },
      update: { postCount: { increment: 1 }, ...(first ? { topicCount: { increment: 1 } } : {}) },
    });
    // Writing is a visit, and may earn the next trust level.
    await recordVisit(tx, userId, at);
    // Mentioned and quoted members, the author of the post answered, and watchers: each told once (tracking.ts).
    await notifyNewPostIn(tx, {
      topic: { ...updated, authorId: topic.authorId },
      post: {
        id: post.id,
        number,
        authorId: userId,
        replyToNumber: replyTo,
        mentionedUserIds: await mentionedUserIds(tx, input.cooked.found.mentions.map((m) => m.username)),
        authorName: input.author.name,
        text: input.cooked.plainText,
      },
    });
  }
  await publishPostCreated(tx, { topicId: topic.id, postId: post.id, number, authorId: input.author.id });
  return { id: post.id, number, topic: { id: topic.id, slug: topic.slug, title: topic.title } };
}

async function topicForWrite(prisma: PrismaClient | Tx, topicId: string) {
  const topic = await prisma.forumTopic.findUnique({
    where: { id: topicId },
    select: { id: true, closedAt: true, archivedAt: true, deletedAt: true, replyCount: true, category: { select: { lessonSlug: true } } },
  });
  if (!topic) throw new DomainError("NOT_FOUND", "There is no such topic.");
  return topic;
}

/** Replies in a topic (optionally to an earlier post of it). Returns the new post's number and address. */
export async function replyToTopic(prisma: PrismaClient, input: { topicId: string; body: string; replyToNumber?: number | null; author: ForumActor }) {
  const body = postBody(input.body);
  const topic = await topicForWrite(prisma, input.topicId);
  if (topic.deletedAt && !isModerator(input.author.role)) throw new DomainError("NOT_FOUND", "There is no such topic.");
  if (!canReply({ id: input.author.id, role: input.author.role }, topic)) {
    throw new DomainError("FORBIDDEN", topic.archivedAt ? "This topic is archived: it takes no more replies." : "This topic is closed: it takes no more replies.");
  }
  await checkWrite(prisma, input.author, { action: "reply", body, topicId: input.topicId });
  await ensureUsername(prisma, input.author.id);
  const cooked = await cookPost(prisma, body, { lessonSlug: topic.category.lessonSlug });
  const post = await writeTransaction(prisma, async (tx) => {
    await checkPostAllowed(tx, input.author, { kind: "reply", topicId: input.topicId, raw: body, rendered: cooked });
    const inserted = await insertPostIn(tx, { topicId: input.topicId, author: input.author, body, cooked, replyToNumber: input.replyToNumber ?? null });
    await deleteDraft(tx, { userId: input.author.id, key: draftKey.reply(input.topicId) });
    return inserted;
  }, REVISION_TRANSACTION);
  return { id: post.id, number: post.number, url: postPath(post.topic, post.number) };
}

const postSelect = {
  id: true,
  number: true,
  authorId: true,
  wiki: true,
  kind: true,
  deletedAt: true,
  deletedById: true,
  hiddenAt: true,
  topic: { select: { id: true, slug: true, title: true, authorId: true, categoryId: true, closedAt: true, archivedAt: true, deletedAt: true, replyCount: true, unlisted: true, category: { select: { lessonSlug: true } } } },
  document: { select: { id: true, currentNumber: true } },
} as const;

async function postRow(db: PrismaClient | Tx, postId: string) {
  const post = await db.forumPost.findUnique({ where: { id: postId }, select: postSelect });
  if (!post || !post.document) throw new DomainError("NOT_FOUND", "There is no such post.");
  return { ...post, document: post.document };
}

export type EditPostResult =
  | { status: "saved"; number: number; merged: boolean; url: string }
  | { status: "unchanged"; number: number; url: string }
  | { status: "conflict"; currentNumber: number; mine: string; theirs: string; base: string; regions: MergeRegion[] };

/**
 * Saves a post's new text as its next revision, from `baseRevision` (what the editor loaded): merged over edits saved
 * meanwhile, or a conflict that keeps the editor's text. Its author edits it; a wiki post anyone allowed by
 * canEditWikiPost; moderators any.
 */
export async function editPost(prisma: PrismaClient, input: { postId: string; body: string; baseRevision: number; summary?: string; actor: ForumActor }): Promise<EditPostResult> {
  const body = postBody(input.body);
  const summary = (input.summary ?? "").trim();
  if (summary.length > MAX_SUMMARY_CHARS) throw new DomainError("BAD_REQUEST", `A summary may hold at most ${MAX_SUMMARY_CHARS} characters.`);
  const post = await postRow(prisma, input.postId);
  const trustLevel = (await prisma.user.findUnique({ where: { id: input.actor.id }, select: { trustLevel: true } }))?.trustLevel ?? 0;
  const viewer = { id: input.actor.id, role: input.actor.role, trustLevel };
  if ((post.deletedAt || post.topic.deletedAt) && !isModerator(input.actor.role)) throw new DomainError("NOT_FOUND", "There is no such post.");
  if (!canEditPost(viewer, post, post.topic)) {
    throw new DomainError(
      "FORBIDDEN",
      post.topic.archivedAt
        ? "This topic is archived: its posts can no longer be edited."
        : post.wiki && post.authorId !== input.actor.id && !post.deletedAt
          ? `Wiki posts can be edited by members from trust level ${WIKI_EDIT_TRUST_LEVEL}: read and take part a little longer to get there.`
          : "Only the post's author and moderators may edit it.",
    );
  }
  await checkWrite(prisma, input.actor, { action: "edit", body, topicId: post.topic.id });
  await ensureUsername(prisma, input.actor.id);
  const lessonSlug = post.topic.category.lessonSlug;
  let cooked = await cookPost(prisma, body, { lessonSlug });
  const url = postPath(post.topic, post.number);
  return writeTransaction(prisma, async (tx): Promise<EditPostResult> => {
    await checkPostAllowed(tx, input.actor, { kind: "edit", topicId: post.topic.id, raw: body, rendered: cooked });
    const at = new Date();
    const result = await saveRevisionIn(tx, { documentId: post.document.id, baseNumber: input.baseRevision, body, authorId: input.actor.id, summary, createdAt: at });
    if (result.status === "conflict") {
      const { status, currentNumber, mine, theirs, base, regions } = result;
      return { status, currentNumber, mine, theirs, base, regions };
    }
    if (result.status === "unchanged") return { status: "unchanged", number: result.number, url };
    if (result.body !== body) cooked = await cookPost(tx, result.body, { lessonSlug });
    await tx.forumPost.update({ where: { id: post.id }, data: { raw: result.body, cooked: cooked.html, version: result.number, editedAt: at, editedById: input.actor.id } });
    const shown = await showAfterAuthorEdit(tx, post, input.actor);
    await syncPostSearch(tx, post.topic, shown ? { ...post, hiddenAt: null } : post, cooked.plainText);
    await notifyEditedPostIn(tx, {
      topic: post.topic,
      post: {
        id: post.id,
        number: post.number,
        authorId: input.actor.id,
        replyToNumber: null,
        mentionedUserIds: await mentionedUserIds(tx, cooked.found.mentions.map((m) => m.username)),
        authorName: input.actor.name,
        text: cooked.plainText,
      },
    });
    await deleteDraft(tx, { userId: input.actor.id, key: draftKey.edit(post.id) });
    await publishPostUpdated(tx, { topicId: post.topic.id, postId: post.id, number: post.number }, "edited");
    if (post.authorId !== input.actor.id && !post.wiki) {
      await logModeration(tx, { actor: input.actor, action: "post.edit", targetType: "post", targetId: post.id, reason: summary, detail: { revision: result.number } });
    }
    return { status: "saved", number: result.number, merged: result.merged, url };
  }, REVISION_TRANSACTION);
}

/**
 * Discourse's second chance: a post that members' flags hid is shown again when its author edits it, once. The flags
 * stay in the review queue for a moderator to decide; if flags hide it again, only a moderator shows it again. A post
 * a moderator hid (no pending flags) stays hidden. Logged as "post.shown-after-edit".
 */
async function showAfterAuthorEdit(tx: Tx, post: { id: string; number: number; authorId: string | null; hiddenAt: Date | null; topic: { id: string } }, actor: ForumActor): Promise<boolean> {
  if (!post.hiddenAt || post.authorId !== actor.id) return false;
  const [pending, before] = await Promise.all([
    tx.forumFlag.count({ where: { postId: post.id, status: "pending" } }),
    tx.moderationLog.count({ where: { targetType: "post", targetId: post.id, action: "post.shown-after-edit" } }),
  ]);
  if (pending === 0 || before > 0) return false;
  const changed = await tx.forumPost.updateMany({ where: { id: post.id, hiddenAt: { not: null } }, data: { hiddenAt: null, hiddenReason: "" } });
  if (changed.count === 0) return false;
  await logModeration(tx, { actor, action: "post.shown-after-edit", targetType: "post", targetId: post.id, reason: "Its author edited it after flags hid it; the flags await review.", detail: { topicId: post.topic.id, number: post.number } });
  await publishPostUpdated(tx, { topicId: post.topic.id, postId: post.id, number: post.number }, "restored");
  return true;
}

/**
 * Soft-deletes a post: its text and history are kept (moderators still see them) and it can be restored. The first
 * post stands for its topic: deleting it deletes the topic (see deleteTopic).
 */
export async function deletePost(prisma: PrismaClient, input: { postId: string; actor: ForumActor; reason?: string }) {
  const post = await postRow(prisma, input.postId);
  const viewer = { id: input.actor.id, role: input.actor.role };
  if (post.topic.deletedAt && !isModerator(input.actor.role)) throw new DomainError("NOT_FOUND", "There is no such post.");
  if (post.deletedAt) throw new DomainError("CONFLICT", "This post is already deleted.");
  if (!canDeletePost(viewer, post, post.topic)) {
    throw new DomainError("FORBIDDEN", post.number === 1 && post.authorId === input.actor.id ? "A topic with replies can only be deleted by a moderator." : "Only the post's author and moderators may delete it.");
  }
  if (post.number === 1) {
    await deleteTopic(prisma, { topicId: post.topic.id, actor: input.actor, reason: input.reason });
    return { deleted: "topic" as const };
  }
  await writeTransaction(prisma, async (tx) => {
    const changed = await tx.forumPost.updateMany({ where: { id: post.id, deletedAt: null }, data: { deletedAt: new Date(), deletedById: input.actor.id } });
    if (changed.count === 0) return;
    await unsolveIfAnswerIn(tx, post.id);
    await tx.forumTopic.update({ where: { id: post.topic.id }, data: { replyCount: { decrement: 1 } } });
    await syncPostSearch(tx, post.topic, { ...post, deletedAt: new Date() }, "");
    await publishPostUpdated(tx, { topicId: post.topic.id, postId: post.id, number: post.number }, "deleted");
    if (post.authorId !== input.actor.id) {
      await logModeration(tx, { actor: input.actor, action: "post.delete", targetType: "post", targetId: post.id, reason: input.reason ?? "" });
    }
  }, REVISION_TRANSACTION);
  return { deleted: "post" as const };
}

/** Brings a deleted post back (a moderator, or its author when they deleted it). */
export async function restorePost(prisma: PrismaClient, input: { postId: string; actor: ForumActor; reason?: string }) {
  const post = await postRow(prisma, input.postId);
  const viewer = { id: input.actor.id, role: input.actor.role };
  if (post.number === 1 && post.topic.deletedAt) {
    await restoreTopic(prisma, { topicId: post.topic.id, actor: input.actor, reason: input.reason });
    return { restored: "topic" as const };
  }
  if (!post.deletedAt) throw new DomainError("CONFLICT", "This post is not deleted.");
  if (!canRestorePost(viewer, post)) throw new DomainError(isModerator(input.actor.role) || post.authorId === input.actor.id ? "FORBIDDEN" : "NOT_FOUND", isModerator(input.actor.role) || post.authorId === input.actor.id ? "Only a moderator may restore a post a moderator deleted." : "There is no such post.");
  await writeTransaction(prisma, async (tx) => {
    const changed = await tx.forumPost.updateMany({ where: { id: post.id, deletedAt: { not: null } }, data: { deletedAt: null, deletedById: null } });
    if (changed.count === 0) return;
    await tx.forumTopic.update({ where: { id: post.topic.id }, data: { replyCount: { increment: 1 } } });
    const row = await tx.forumPost.findUniqueOrThrow({ where: { id: post.id }, select: { cooked: true } });
    await syncPostSearch(tx, post.topic, { ...post, deletedAt: null }, htmlToText(row.cooked));
    await publishPostUpdated(tx, { topicId: post.topic.id, postId: post.id, number: post.number }, "restored");
    if (post.authorId !== input.actor.id) {
      await logModeration(tx, { actor: input.actor, action: "post.restore", targetType: "post", targetId: post.id, reason: input.reason ?? "" });
    }
  }, REVISION_TRANSACTION);
  return { restored: "post" as const };
}
