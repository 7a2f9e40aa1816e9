import type { Prisma, PrismaClient } from "@course/db";
import { z } from "zod";
import { DomainError } from "../errors";
import { notify } from "../notifications/notify";
import { categoryPath, postPath, topicPath } from "./paths";
import { usersByUsername } from "./users";

/**
 * Watching levels (Discourse's notification levels), per topic and per category, and who a new post notifies.
 *
 * - watching: notified of every new post (in a category: of every post of its topics, new topics included)
 * - tracking: unread counts, but notified only when mentioned or answered
 * - normal:   notified only when mentioned or answered
 * - muted:    never notified, not even of mentions; no unread counts
 *
 * A topic's level for a user is what they chose for the topic (levelReason "user"); else the stronger of what the
 * forum chose for them (watching the topics they create, tracking those they reply in) and their category's level;
 * else their category's level; else normal.
 */

type Db = PrismaClient | Prisma.TransactionClient;
type Tx = Prisma.TransactionClient;

export const NOTIFICATION_LEVELS = ["muted", "normal", "tracking", "watching"] as const;
export type NotificationLevel = (typeof NOTIFICATION_LEVELS)[number];
export const notificationLevelSchema = z.enum(NOTIFICATION_LEVELS, { error: () => `A watching level is one of ${NOTIFICATION_LEVELS.join(", ")}.` });

const rank = (level: string): number => {
  const i = NOTIFICATION_LEVELS.indexOf(level as NotificationLevel);
  return i < 0 ? 1 : i;
};
const level = (value: string): NotificationLevel => NOTIFICATION_LEVELS[rank(value)]!;

/** A user's row of ForumTopicUser, as far as levels go. */
export interface TopicLevelRow {
  notificationLevel: string;
  levelReason: string;
}

/** The level that applies to a user in a topic, from their topic row (if any) and their category level (if any). */
export function effectiveLevel(topicRow: TopicLevelRow | null | undefined, categoryLevel: string | null | undefined): NotificationLevel {
  const category = categoryLevel ? level(categoryLevel) : "normal";
  if (!topicRow || topicRow.levelReason === "") return category;
  if (topicRow.levelReason === "user") return level(topicRow.notificationLevel);
  // The forum's own choice (created, replied) never lowers what the category says, and a muted category does not
  // silence a topic the user wrote in.
  return rank(topicRow.notificationLevel) >= rank(category) || category === "muted" ? level(topicRow.notificationLevel) : category;
}

/** The effective level of each of `userIds` in the topic. */
export async function levelsInTopic(db: Db, topic: { id: string; categoryId: string }, userIds: readonly string[]): Promise<Map<string, NotificationLevel>> {
  const ids = [...new Set(userIds)];
  if (ids.length === 0) return new Map();
  const [topicRows, categoryRows] = await Promise.all([
    db.forumTopicUser.findMany({ where: { topicId: topic.id, userId: { in: ids } }, select: { userId: true, notificationLevel: true, levelReason: true } }),
    db.forumCategoryUser.findMany({ where: { categoryId: topic.categoryId, userId: { in: ids } }, select: { userId: true, notificationLevel: true } }),
  ]);
  const topicOf = new Map(topicRows.map((r) => [r.userId, r]));
  const categoryOf = new Map(categoryRows.map((r) => [r.userId, r.notificationLevel]));
  return new Map(ids.map((id) => [id, effectiveLevel(topicOf.get(id), categoryOf.get(id))]));
}

async function liveTopic(db: Db, topicId: string) {
  const topic = await db.forumTopic.findUnique({ where: { id: topicId }, select: { id: true, categoryId: true, slug: true, deletedAt: true } });
  if (!topic || topic.deletedAt) throw new DomainError("NOT_FOUND", "There is no such topic.");
  return topic;
}

/** What the topic page's watching menu shows: the user's level and why. */
export async function topicLevel(db: Db, userId: string, topicId: string): Promise<{ level: NotificationLevel; reason: string }> {
  const topic = await liveTopic(db, topicId);
  const [row, category] = await Promise.all([
    db.forumTopicUser.findUnique({ where: { userId_topicId: { userId, topicId } }, select: { notificationLevel: true, levelReason: true } }),
    db.forumCategoryUser.findUnique({ where: { userId_categoryId: { userId, categoryId: topic.categoryId } }, select: { notificationLevel: true } }),
  ]);
  const effective = effectiveLevel(row, category?.notificationLevel);
  const reason = row?.levelReason === "user" ? "user" : row && row.levelReason !== "" && effective === level(row.notificationLevel) ? row.levelReason : category ? "category" : "";
  return { level: effective, reason };
}

/** The user chooses a level for a topic; it wins over the category's and the forum's own choices from then on. */
export async function setTopicLevel(prisma: PrismaClient, input: { userId: string; topicId: string; level: NotificationLevel }) {
  await liveTopic(prisma, input.topicId);
  await prisma.forumTopicUser.upsert({
    where: { userId_topicId: { userId: input.userId, topicId: input.topicId } },
    create: { userId: input.userId, topicId: input.topicId, notificationLevel: input.level, levelReason: "user" },
    update: { notificationLevel: input.level, levelReason: "user" },
  });
  return { level: input.level, reason: "user" };
}

/** The user's level for a category ("normal" removes the row: it is the default). */
export async function setCategoryLevel(prisma: PrismaClient, input: { userId: string; categorySlug: string; level: NotificationLevel }) {
  const category = await prisma.forumCategory.findFirst({ where: { slug: input.categorySlug, removedAt: null }, select: { id: true } });
  if (!category) throw new DomainError("NOT_FOUND", `There is no forum category "${input.categorySlug}".`);
  const key = { userId_categoryId: { userId: input.userId, categoryId: category.id } };
  if (input.level === "normal") await prisma.forumCategoryUser.deleteMany({ where: { userId: input.userId, categoryId: category.id } });
  else await prisma.forumCategoryUser.upsert({ where: key, create: { userId: input.userId, categoryId: category.id, notificationLevel: input.level }, update: { notificationLevel: input.level } });
  return { level: input.level, url: categoryPath(input.categorySlug) };
}

/** The user's category levels other than normal, by category slug. */
export async function categoryLevels(db: Db, userId: string): Promise<Record<string, NotificationLevel>> {
  const rows = await db.forumCategoryUser.findMany({ where: { userId }, select: { notificationLevel: true, category: { select: { slug: true } } } });
  return Object.fromEntries(rows.map((r) => [r.category.slug, level(r.notificationLevel)]));
}

/** At most this many people are notified of mentions in one post (Discourse's max_mentions_per_post). */
export const MAX_MENTION_NOTIFICATIONS = 20;

export interface NewPostFacts {
  id: string;
  number: number;
  authorId: string | null;
  replyToNumber: number | null;
  /** users the post mentions or quotes (already resolved to ids), in order of appearance */
  mentionedUserIds?: readonly string[];
}

export interface NewPostRecipients {
  /** mentioned or quoted, and not muting the topic */
  mentioned: string[];
  /** the author of the post answered (of the topic, for a reply to the topic), when not mentioned already */
  replied: string[];
  /** watching the topic (or, for a new topic, its category), when not told already for one of the reasons above */
  watching: string[];
}

/**
 * Who a new post notifies, and why: each person once, for the strongest reason (mentioned, then replied to, then
 * watching), never its author, never someone who muted the topic. Reads in the post's transaction.
 */
export async function recipientsForNewPost(tx: Db, topic: { id: string; categoryId: string; authorId: string | null }, post: NewPostFacts): Promise<NewPostRecipients> {
  const mentioned = [...new Set(post.mentionedUserIds ?? [])].filter((id) => id !== post.authorId).slice(0, MAX_MENTION_NOTIFICATIONS);
  let answered: string | null = null;
  if (post.number > 1) {
    answered =
      post.replyToNumber !== null
        ? ((await tx.forumPost.findUnique({ where: { topicId_number: { topicId: topic.id, number: post.replyToNumber } }, select: { authorId: true } }))?.authorId ?? null)
        : topic.authorId;
  }
  const replied = answered && answered !== post.authorId && !mentioned.includes(answered) ? [answered] : [];

  // Watchers: topic rows at watching, and category watchers (a new topic has no rows yet but its author's).
  const [topicWatchers, categoryWatchers] = await Promise.all([
    tx.forumTopicUser.findMany({ where: { topicId: topic.id, notificationLevel: "watching" }, select: { userId: true } }),
    tx.forumCategoryUser.findMany({ where: { categoryId: topic.categoryId, notificationLevel: "watching" }, select: { userId: true } }),
  ]);
  const candidates = [...new Set([...topicWatchers, ...categoryWatchers].map((r) => r.userId))];
  const levels = await levelsInTopic(tx, topic, [...mentioned, ...replied, ...candidates]);
  const notMuted = (id: string) => levels.get(id) !== "muted";
  const told = new Set([...mentioned, ...replied]);
  return {
    mentioned: mentioned.filter(notMuted),
    replied: replied.filter(notMuted),
    watching: candidates.filter((id) => id !== post.authorId && !told.has(id) && levels.get(id) === "watching"),
  };
}

/** Resolves the usernames a post mentions (packages/markdown's `found.mentions`, quotes' authors included) to ids. */
export async function mentionedUserIds(db: Db, usernames: readonly string[]): Promise<string[]> {
  const found = await usersByUsername(db, usernames);
  const ids: string[] = [];
  for (const name of usernames) {
    const id = found.get(name.toLowerCase())?.id;
    if (id && !ids.includes(id)) ids.push(id);
  }
  return ids;
}

export interface NotifyNewPostInput {
  topic: { id: string; slug: string; title: string; categoryId: string; authorId: string | null };
  post: NewPostFacts & { authorName: string; /** the post's words (a notification shows their start) */ text: string };
}

/**
 * Notifies everyone a new post concerns (see recipientsForNewPost), in the post's transaction. One notification per
 * person and post: a retried write creates none twice (the dedupe key is the post's).
 */
export async function notifyNewPostIn(tx: Tx, input: NotifyNewPostInput): Promise<NewPostRecipients> {
  const { topic, post } = input;
  const recipients = await recipientsForNewPost(tx, topic, post);
  const link = post.number === 1 ? topicPath(topic) : postPath(topic, post.number);
  const dedupeKey = `forum-post:${post.id}`;
  const body = post.text;
  await notify(tx, recipients.mentioned, "forum-mention", { title: `${post.authorName} mentioned you in "${topic.title}"`, body, link }, { dedupeKey });
  await notify(tx, recipients.replied, "forum-reply", { title: `${post.authorName} replied in "${topic.title}"`, body, link }, { dedupeKey });
  const watchedTitle = post.number === 1 ? `New topic by ${post.authorName}: "${topic.title}"` : `${post.authorName} posted in "${topic.title}"`;
  await notify(tx, recipients.watching, "forum-watched-topic", { title: watchedTitle, body, link }, { dedupeKey });
  return recipients;
}

/**
 * After an edit: notifies the people the new text mentions who were not told about this post before (Discourse
 * notifies mentions added by an edit). The dedupe key is the post's, so nobody hears of one post twice.
 */
export async function notifyEditedPostIn(tx: Tx, input: NotifyNewPostInput): Promise<string[]> {
  const { topic, post } = input;
  const mentioned = [...new Set(post.mentionedUserIds ?? [])].filter((id) => id !== post.authorId).slice(0, MAX_MENTION_NOTIFICATIONS);
  if (mentioned.length === 0) return [];
  const levels = await levelsInTopic(tx, topic, mentioned);
  const to = mentioned.filter((id) => levels.get(id) !== "muted");
  const link = post.number === 1 ? topicPath(topic) : postPath(topic, post.number);
  await notify(tx, to, "forum-mention", { title: `${post.authorName} mentioned you in "${topic.title}"`, body: post.text, link }, { dedupeKey: `forum-post:${post.id}` });
  return to;
}
