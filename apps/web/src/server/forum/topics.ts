import type { Prisma, PrismaClient } from "@course/db";
import { DomainError } from "../errors";
import { REVISION_TRANSACTION } from "../revisions/documents";
import { writeTransaction } from "../page-cache";
import { cookPost } from "./cook";
import { draftKey } from "./drafts";
import { publishTopicUpdated } from "./live";
import { logModeration } from "./moderation-log";
import { topicPath, slugify } from "./paths";
import { checkPostAllowed } from "./limits";
import { checkWrite, isModerator, type ForumActor } from "./permissions";
import { insertPostIn, postBody, type PostAuthor } from "./posts";
import { syncTopicSearch } from "./search";
import { ensureUsername } from "./users";

/** Topics: created with their first post; retitled, moved, pinned, closed, archived, unlisted, deleted, restored. */

type Tx = Prisma.TransactionClient;

export const MIN_TITLE_CHARS = 5;
export const MAX_TITLE_CHARS = 200;
export const TOPIC_STATES = ["pinned", "closed", "archived", "unlisted"] as const;
export type TopicState = (typeof TOPIC_STATES)[number];

export function topicTitle(raw: string): string {
  const title = raw.replace(/\s+/g, " ").trim();
  if (title.length < MIN_TITLE_CHARS) throw new DomainError("BAD_REQUEST", `A topic's title needs at least ${MIN_TITLE_CHARS} characters.`);
  if (title.length > MAX_TITLE_CHARS) throw new DomainError("BAD_REQUEST", `A topic's title may hold at most ${MAX_TITLE_CHARS} characters.`);
  return title;
}

async function liveCategory(db: PrismaClient | Tx, slug: string) {
  const category = await db.forumCategory.findUnique({ where: { slug }, select: { id: true, slug: true, lessonSlug: true, removedAt: true } });
  if (!category || category.removedAt) throw new DomainError("NOT_FOUND", `There is no forum category "${slug}".`);
  return category;
}

export interface CreateTopicIn {
  categoryId: string;
  title: string;
  /** normalised post text (postBody) */
  body: string;
  cooked: Awaited<ReturnType<typeof cookPost>>;
  author: PostAuthor;
  /** a topic the platform makes once (`lesson:<forum_thread>`, `wiki:<pageId>`) */
  key?: string;
  wiki?: boolean;
  at?: Date;
}

/** Creates a topic and its first post inside the caller's transaction. */
export async function createTopicIn(tx: Tx, input: CreateTopicIn) {
  const at = input.at ?? new Date();
  const topic = await tx.forumTopic.create({
    data: {
      categoryId: input.categoryId,
      title: input.title,
      slug: slugify(input.title),
      authorId: input.author.id,
      key: input.key ?? null,
      createdAt: at,
      bumpedAt: at,
      lastPostedAt: at,
    },
    select: { id: true, slug: true },
  });
  const post = await insertPostIn(tx, { topicId: topic.id, author: input.author, body: input.body, cooked: input.cooked, wiki: input.wiki ?? false, at, firstPost: true });
  return { id: topic.id, slug: topic.slug, postId: post.id, url: topicPath(topic) };
}

/** A member starts a topic in a category: a title and the first post. */
export async function createTopic(prisma: PrismaClient, input: { categorySlug: string; title: string; body: string; author: ForumActor }) {
  const title = topicTitle(input.title);
  const body = postBody(input.body);
  const category = await liveCategory(prisma, input.categorySlug);
  await checkWrite(prisma, input.author, { action: "create-topic", body });
  await ensureUsername(prisma, input.author.id);
  const cooked = await cookPost(prisma, body, { lessonSlug: category.lessonSlug });
  return writeTransaction(prisma, async (tx) => {
    await checkPostAllowed(tx, input.author, { kind: "topic", raw: body, rendered: cooked });
    const created = await createTopicIn(tx, { categoryId: category.id, title, body, cooked, author: input.author });
    await tx.forumDraft.deleteMany({ where: { userId: input.author.id, key: { in: [draftKey.newTopic(), draftKey.newTopic(category.slug)] } } });
    return created;
  }, REVISION_TRANSACTION);
}

async function topicRow(db: PrismaClient | Tx, topicId: string) {
  const topic = await db.forumTopic.findUnique({
    where: { id: topicId },
    select: { id: true, slug: true, title: true, authorId: true, key: true, categoryId: true, replyCount: true, pinnedAt: true, closedAt: true, archivedAt: true, unlisted: true, deletedAt: true },
  });
  if (!topic) throw new DomainError("NOT_FOUND", "There is no such topic.");
  return topic;
}

/**
 * Changes a topic's title (its author while the topic is open to edits, or a moderator) or category (moderators).
 * The slug follows the title; old addresses keep working, since the id finds the topic.
 */
export async function updateTopic(prisma: PrismaClient, input: { topicId: string; title?: string; categorySlug?: string; actor: ForumActor; reason?: string }) {
  const topic = await topicRow(prisma, input.topicId);
  const moderator = isModerator(input.actor.role);
  if (topic.deletedAt && !moderator) throw new DomainError("NOT_FOUND", "There is no such topic.");
  const title = input.title === undefined ? undefined : topicTitle(input.title);
  if (title !== undefined && !moderator && (topic.authorId !== input.actor.id || topic.archivedAt)) {
    throw new DomainError("FORBIDDEN", "Only the topic's author and moderators may change its title.");
  }
  const category = input.categorySlug === undefined ? undefined : await liveCategory(prisma, input.categorySlug);
  if (category && !moderator) throw new DomainError("FORBIDDEN", "Only moderators may move a topic to another category.");
  return writeTransaction(prisma, async (tx) => {
    const updated = await tx.forumTopic.update({
      where: { id: topic.id },
      data: { ...(title !== undefined ? { title, slug: slugify(title) } : {}), ...(category ? { categoryId: category.id } : {}) },
      select: { id: true, slug: true, title: true },
    });
    await syncTopicSearch(tx, topic.id);
    await publishTopicUpdated(tx, topic.id);
    if (topic.authorId !== input.actor.id) {
      const detail = { ...(title !== undefined ? { title: { from: topic.title, to: title } } : {}), ...(category ? { category: category.slug } : {}) };
      await logModeration(tx, { actor: input.actor, action: category ? "topic.move" : "topic.retitle", targetType: "topic", targetId: topic.id, reason: input.reason ?? "", detail });
    }
    return { id: updated.id, slug: updated.slug, title: updated.title, url: topicPath(updated) };
  }, REVISION_TRANSACTION);
}

const STATE_VERBS: Record<TopicState, [on: string, off: string]> = {
  pinned: ["pin", "unpin"],
  closed: ["close", "open"],
  archived: ["archive", "unarchive"],
  unlisted: ["unlist", "list"],
};

/**
 * Moderators set a topic's states: pinned (first in its category), closed (no replies but moderators'), archived
 * (frozen: no replies, no edits), unlisted (reachable by its address only: not in lists or search). Logged.
 */
export async function setTopicState(prisma: PrismaClient, input: { topicId: string; state: TopicState; on: boolean; actor: ForumActor; reason?: string }) {
  if (!isModerator(input.actor.role)) throw new DomainError("FORBIDDEN", "Only graders and admins may change a topic's state.");
  const topic = await topicRow(prisma, input.topicId);
  const now = new Date();
  const data: Prisma.ForumTopicUpdateInput =
    input.state === "pinned"
      ? { pinnedAt: input.on ? now : null }
      : input.state === "closed"
        ? { closedAt: input.on ? now : null }
        : input.state === "archived"
          ? { archivedAt: input.on ? now : null }
          : { unlisted: input.on };
  const current = input.state === "unlisted" ? topic.unlisted : topic[`${input.state}At`] !== null;
  if (current === input.on) return { changed: false };
  await writeTransaction(prisma, async (tx) => {
    await tx.forumTopic.update({ where: { id: topic.id }, data });
    if (input.state === "unlisted") await syncTopicSearch(tx, topic.id);
    await publishTopicUpdated(tx, topic.id);
    const verb = STATE_VERBS[input.state][input.on ? 0 : 1];
    await logModeration(tx, { actor: input.actor, action: `topic.${verb}`, targetType: "topic", targetId: topic.id, reason: input.reason ?? "" });
  }, REVISION_TRANSACTION);
  return { changed: true };
}

/**
 * Soft-deletes a topic (a moderator, or its author while nobody has replied): hidden from everyone but moderators,
 * out of search, restorable. A topic the platform made (a lesson thread) is deleted by moderators only.
 */
export async function deleteTopic(prisma: PrismaClient, input: { topicId: string; actor: ForumActor; reason?: string }) {
  const topic = await topicRow(prisma, input.topicId);
  const moderator = isModerator(input.actor.role);
  if (topic.deletedAt) throw new DomainError(moderator ? "CONFLICT" : "NOT_FOUND", moderator ? "This topic is already deleted." : "There is no such topic.");
  if (!moderator && (topic.authorId !== input.actor.id || topic.replyCount > 0 || topic.archivedAt)) {
    throw new DomainError("FORBIDDEN", topic.authorId === input.actor.id ? "A topic with replies can only be deleted by a moderator." : "Only moderators may delete someone else's topic.");
  }
  await writeTransaction(prisma, async (tx) => {
    await tx.forumTopic.update({ where: { id: topic.id }, data: { deletedAt: new Date(), deletedById: input.actor.id } });
    await syncTopicSearch(tx, topic.id);
    await publishTopicUpdated(tx, topic.id);
    if (topic.authorId !== input.actor.id) await logModeration(tx, { actor: input.actor, action: "topic.delete", targetType: "topic", targetId: topic.id, reason: input.reason ?? "" });
  }, REVISION_TRANSACTION);
  return { deleted: true };
}

/** Restores a deleted topic: a moderator, or its author when they deleted it themselves. */
export async function restoreTopic(prisma: PrismaClient, input: { topicId: string; actor: ForumActor; reason?: string }) {
  const topic = await prisma.forumTopic.findUnique({ where: { id: input.topicId }, select: { id: true, authorId: true, deletedAt: true, deletedById: true } });
  const moderator = isModerator(input.actor.role);
  const ownDeletion = topic?.authorId === input.actor.id && topic.deletedById === input.actor.id;
  if (!topic || (topic.deletedAt && !moderator && !ownDeletion)) throw new DomainError("NOT_FOUND", "There is no such topic.");
  if (!topic.deletedAt) throw new DomainError("CONFLICT", "This topic is not deleted.");
  await writeTransaction(prisma, async (tx) => {
    await tx.forumTopic.update({ where: { id: topic.id }, data: { deletedAt: null, deletedById: null } });
    await syncTopicSearch(tx, topic.id);
    await publishTopicUpdated(tx, topic.id);
    if (topic.authorId !== input.actor.id) await logModeration(tx, { actor: input.actor, action: "topic.restore", targetType: "topic", targetId: topic.id, reason: input.reason ?? "" });
  }, REVISION_TRANSACTION);
  return { restored: true };
}
