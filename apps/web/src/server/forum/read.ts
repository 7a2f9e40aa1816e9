import type { Prisma, PrismaClient } from "@course/db";
import { DomainError } from "../errors";
import { diffRevisions, getRevision, listRevisions } from "../revisions/documents";
import { htmlToText } from "../wiki/render";
import { categoryPath, postPath, topicPath } from "./paths";
import { canDeletePost, canEditPost, canReply, canRestorePost, isModerator, type ForumViewer } from "./permissions";
import { UNSOLVED_TOPICS } from "./solved";
import { canFlag } from "./trust";
import { displayName } from "./users";

/**
 * The forum's reads. Deleted topics are visible to moderators only; a deleted or hidden post keeps its place (its
 * number) but shows its text only to moderators and its author. A topic is read in windows of posts by number (the
 * numbers are gapless, so a window is a range of the (topicId, number) index): no read sends a whole topic, or
 * every post id, however long it is.
 */

type Db = PrismaClient | Prisma.TransactionClient;

/** Posts per window: what a topic page loads at a time in either direction. */
export const WINDOW = 20;
export const MAX_WINDOW = 50;

export interface PostAuthorView {
  id: string | null;
  name: string;
  username: string | null;
}

export interface PostView {
  id: string;
  number: number;
  replyToNumber: number | null;
  author: PostAuthorView;
  createdAt: Date;
  editedAt: Date | null;
  /** the current revision number (> 1: edited; the history shows each) */
  version: number;
  /** sanitized HTML; "" when the viewer may not see a deleted or hidden post's text */
  cooked: string;
  kind: string;
  wiki: boolean;
  deleted: boolean;
  hidden: boolean;
  hiddenReason: string;
  likeCount: number;
  replyCount: number;
  /** flag: the viewer may flag it (trust level 1 and up, not their own, shown to everyone); hide: a moderator hides or shows it */
  can: { edit: boolean; delete: boolean; restore: boolean; flag: boolean; hide: boolean };
}

export interface TopicView {
  id: string;
  title: string;
  slug: string;
  url: string;
  key: string | null;
  category: { slug: string; name: string; color: string; lessonSlug: string | null; url: string };
  author: PostAuthorView;
  createdAt: Date;
  highestPostNumber: number;
  replyCount: number;
  likeCount: number;
  pinned: boolean;
  closed: boolean;
  archived: boolean;
  unlisted: boolean;
  deleted: boolean;
  solvedPostId: string | null;
  can: { reply: boolean; moderate: boolean; editTitle: boolean };
}

export interface PostWindow {
  topicId: string;
  posts: PostView[];
  highestPostNumber: number;
  /** the numbers the window covers (first > last when the topic has no posts) */
  first: number;
  last: number;
  /** the post it was asked to be around (for a date: the first post from then), null for after/before */
  target: number | null;
}

const authorSelect = { select: { id: true, name: true, username: true } } as const;
const authorView = (a: { id: string; name: string | null; username: string | null } | null, fallback = "Course platform"): PostAuthorView =>
  a ? { id: a.id, name: displayName(a), username: a.username } : { id: null, name: fallback, username: null };

const topicSelect = {
  id: true,
  title: true,
  slug: true,
  key: true,
  authorId: true,
  createdAt: true,
  highestPostNumber: true,
  replyCount: true,
  likeCount: true,
  pinnedAt: true,
  closedAt: true,
  archivedAt: true,
  unlisted: true,
  deletedAt: true,
  solvedPostId: true,
  author: authorSelect,
  category: { select: { slug: true, name: true, color: true, lessonSlug: true } },
} as const;

async function visibleTopic(db: Db, topicId: string, viewer: ForumViewer) {
  const topic = await db.forumTopic.findUnique({ where: { id: topicId }, select: topicSelect });
  if (!topic || (topic.deletedAt && !isModerator(viewer.role))) throw new DomainError("NOT_FOUND", "There is no such topic.");
  return topic;
}

function topicView(topic: Awaited<ReturnType<typeof visibleTopic>>, viewer: ForumViewer): TopicView {
  const moderator = isModerator(viewer.role);
  return {
    id: topic.id,
    title: topic.title,
    slug: topic.slug,
    url: topicPath(topic),
    key: topic.key,
    category: { ...topic.category, url: categoryPath(topic.category.slug) },
    author: authorView(topic.author),
    createdAt: topic.createdAt,
    highestPostNumber: topic.highestPostNumber,
    replyCount: topic.replyCount,
    likeCount: topic.likeCount,
    pinned: topic.pinnedAt !== null,
    closed: topic.closedAt !== null,
    archived: topic.archivedAt !== null,
    unlisted: topic.unlisted,
    deleted: topic.deletedAt !== null,
    solvedPostId: topic.solvedPostId,
    can: {
      reply: canReply(viewer, topic),
      moderate: moderator,
      editTitle: viewer.id !== null && (moderator || (topic.authorId === viewer.id && !topic.archivedAt && !topic.deletedAt)),
    },
  };
}

const postSelect = {
  id: true,
  number: true,
  replyToNumber: true,
  authorId: true,
  createdAt: true,
  editedAt: true,
  version: true,
  cooked: true,
  kind: true,
  wiki: true,
  deletedAt: true,
  deletedById: true,
  hiddenAt: true,
  hiddenReason: true,
  likeCount: true,
  replyCount: true,
  author: authorSelect,
} as const;

type PostRow = Prisma.ForumPostGetPayload<{ select: typeof postSelect }>;
type TopicFacts = { archivedAt: Date | null; deletedAt: Date | null; replyCount: number };

function postView(post: PostRow, topic: TopicFacts, viewer: ForumViewer): PostView {
  const own = viewer.id !== null && post.authorId === viewer.id;
  const showText = (!post.deletedAt && !post.hiddenAt) || own || isModerator(viewer.role);
  return {
    id: post.id,
    number: post.number,
    replyToNumber: post.replyToNumber,
    author: authorView(post.author),
    createdAt: post.createdAt,
    editedAt: post.editedAt,
    version: post.version,
    cooked: showText ? post.cooked : "",
    kind: post.kind,
    wiki: post.wiki,
    deleted: post.deletedAt !== null,
    hidden: post.hiddenAt !== null,
    hiddenReason: showText ? post.hiddenReason : "",
    likeCount: post.likeCount,
    replyCount: post.replyCount,
    can: {
      edit: canEditPost(viewer, post, topic),
      delete: canDeletePost(viewer, post, topic),
      restore: canRestorePost(viewer, post),
      flag: canFlag(viewer) && !own && post.kind === "regular" && !post.deletedAt && !post.hiddenAt,
      hide: isModerator(viewer.role) && post.kind === "regular" && !post.deletedAt,
    },
  };
}

export type WindowAnchor = { after: number } | { before: number } | { around: number } | { date: Date };

/** The number range a window covers, within 1..highest. */
export function windowRange(anchor: WindowAnchor | { around: number }, highest: number, limit: number): { first: number; last: number } {
  if ("after" in anchor) return { first: anchor.after + 1, last: Math.min(highest, anchor.after + limit) };
  if ("before" in anchor) return { first: Math.max(1, anchor.before - limit), last: Math.min(highest, anchor.before - 1) };
  const target = Math.min(Math.max(1, "around" in anchor ? anchor.around : 1), Math.max(1, highest));
  let first = Math.max(1, target - Math.floor((limit - 1) / 2));
  const last = Math.min(highest, first + limit - 1);
  first = Math.max(1, Math.min(first, last - limit + 1));
  return { first, last };
}

/** The first post written at or after `date` (the last post when none was), for "jump to a date". */
export async function postNumberAt(db: Db, topicId: string, date: Date): Promise<number> {
  const hit = await db.forumPost.findFirst({ where: { topicId, createdAt: { gte: date } }, orderBy: { createdAt: "asc" }, select: { number: true } });
  if (hit) return hit.number;
  const topic = await db.forumTopic.findUnique({ where: { id: topicId }, select: { highestPostNumber: true } });
  return topic?.highestPostNumber ?? 1;
}

/** A window of a topic's posts: after or before a number, around one, or around the first post from a date. */
export async function postsWindow(db: Db, input: { topicId: string; anchor: WindowAnchor; limit?: number }, viewer: ForumViewer): Promise<PostWindow> {
  const topic = await visibleTopic(db, input.topicId, viewer);
  return windowOf(db, topic, input.anchor, Math.min(Math.max(input.limit ?? WINDOW, 1), MAX_WINDOW), viewer);
}

async function windowOf(db: Db, topic: Awaited<ReturnType<typeof visibleTopic>>, anchor: WindowAnchor, limit: number, viewer: ForumViewer): Promise<PostWindow> {
  const resolved = "date" in anchor ? { around: await postNumberAt(db, topic.id, anchor.date) } : anchor;
  const { first, last } = windowRange(resolved, topic.highestPostNumber, limit);
  const rows =
    first > last
      ? []
      : await db.forumPost.findMany({ where: { topicId: topic.id, number: { gte: first, lte: last } }, orderBy: { number: "asc" }, select: postSelect });
  const target = "around" in resolved ? Math.min(Math.max(1, resolved.around), Math.max(1, topic.highestPostNumber)) : null;
  return { topicId: topic.id, posts: rows.map((p) => postView(p, topic, viewer)), highestPostNumber: topic.highestPostNumber, first, last, target };
}

/** A topic page: the topic and the window of posts around `post` (default the first). */
export async function viewTopic(db: Db, topicId: string, viewer: ForumViewer, options: { post?: number; limit?: number } = {}): Promise<{ topic: TopicView; window: PostWindow }> {
  const topic = await visibleTopic(db, topicId, viewer);
  const window = await windowOf(db, topic, { around: options.post ?? 1 }, Math.min(options.limit ?? WINDOW, MAX_WINDOW), viewer);
  return { topic: topicView(topic, viewer), window };
}

/** One post, as its topic page shows it (e.g. after an edit). */
export async function viewPost(db: Db, postId: string, viewer: ForumViewer): Promise<PostView> {
  const post = await db.forumPost.findUnique({ where: { id: postId }, select: { ...postSelect, topicId: true } });
  if (!post) throw new DomainError("NOT_FOUND", "There is no such post.");
  const topic = await visibleTopic(db, post.topicId, viewer);
  return postView(post, topic, viewer);
}

export interface TopicListItem {
  id: string;
  title: string;
  url: string;
  category: { slug: string; name: string; color: string };
  author: string;
  createdAt: Date;
  bumpedAt: Date;
  lastPoster: string | null;
  replyCount: number;
  likeCount: number;
  views: number;
  highestPostNumber: number;
  pinned: boolean;
  closed: boolean;
  archived: boolean;
  unlisted: boolean;
  solved: boolean;
}

const listSelect = {
  id: true,
  title: true,
  slug: true,
  createdAt: true,
  bumpedAt: true,
  replyCount: true,
  likeCount: true,
  views: true,
  highestPostNumber: true,
  pinnedAt: true,
  closedAt: true,
  archivedAt: true,
  unlisted: true,
  solvedPostId: true,
  author: authorSelect,
  lastPoster: authorSelect,
  category: { select: { slug: true, name: true, color: true } },
} as const;

function listItem(t: Prisma.ForumTopicGetPayload<{ select: typeof listSelect }>): TopicListItem {
  return {
    id: t.id,
    title: t.title,
    url: topicPath(t),
    category: t.category,
    author: authorView(t.author).name,
    createdAt: t.createdAt,
    bumpedAt: t.bumpedAt,
    lastPoster: t.lastPoster ? displayName(t.lastPoster) : null,
    replyCount: t.replyCount,
    likeCount: t.likeCount,
    views: t.views,
    highestPostNumber: t.highestPostNumber,
    pinned: t.pinnedAt !== null,
    closed: t.closedAt !== null,
    archived: t.archivedAt !== null,
    unlisted: t.unlisted,
    solved: t.solvedPostId !== null,
  };
}

/** "unsolved": only questions without an answer, in solvable categories (solved.ts). */
export const TOPIC_FILTERS = ["unsolved"] as const;
export type TopicFilter = (typeof TOPIC_FILTERS)[number];

/**
 * Topics of a category (or of all), pinned ones first (on the first page), then by latest activity. `before`: the
 * `bumpedAt` of the last topic already shown (the next page). Unlisted topics are listed for moderators only.
 */
export async function listTopics(db: Db, input: { categorySlug?: string; before?: Date; limit?: number; filter?: TopicFilter }, viewer: ForumViewer) {
  const limit = Math.min(Math.max(input.limit ?? 30, 1), 100);
  let categoryId: string | undefined;
  if (input.categorySlug !== undefined) {
    const category = await db.forumCategory.findFirst({ where: { slug: input.categorySlug, removedAt: null }, select: { id: true } });
    if (!category) throw new DomainError("NOT_FOUND", `There is no forum category "${input.categorySlug}".`);
    categoryId = category.id;
  }
  const where: Prisma.ForumTopicWhereInput = {
    deletedAt: null,
    // A topic whose question (first post) flags or a moderator hid leaves the lists until it is shown again
    // (Discourse unlists it); moderators see it, and its address still opens it.
    ...(isModerator(viewer.role) ? {} : { unlisted: false, posts: { none: { number: 1, hiddenAt: { not: null } } } }),
    ...(categoryId ? { categoryId } : { category: { removedAt: null } }),
    ...(input.filter === "unsolved" ? { AND: [UNSOLVED_TOPICS] } : {}),
  };
  const pinned =
    input.before || !categoryId ? [] : await db.forumTopic.findMany({ where: { ...where, pinnedAt: { not: null } }, orderBy: { pinnedAt: "desc" }, take: 20, select: listSelect });
  const rest = await db.forumTopic.findMany({
    where: { ...where, ...(categoryId ? { pinnedAt: null } : {}), ...(input.before ? { bumpedAt: { lt: input.before } } : {}) },
    orderBy: [{ bumpedAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    select: listSelect,
  });
  const page = rest.slice(0, limit);
  return { topics: [...pinned, ...page].map(listItem), next: rest.length > limit ? page[page.length - 1]!.bumpedAt : null };
}

export interface CategoryOverview {
  slug: string;
  name: string;
  description: string;
  color: string;
  url: string;
  lessonSlug: string | null;
  topicCount: number;
  latest: { title: string; url: string; bumpedAt: Date } | null;
}

/** /forum: every live category in order, with how many topics it has and its latest one. */
export async function categoriesOverview(db: Db, viewer: ForumViewer): Promise<CategoryOverview[]> {
  const includeUnlisted = isModerator(viewer.role);
  const categories = await db.forumCategory.findMany({
    where: { removedAt: null },
    orderBy: [{ position: "asc" }, { slug: "asc" }],
    select: { id: true, slug: true, name: true, description: true, color: true, lessonSlug: true },
  });
  const counts = await db.forumTopic.groupBy({ by: ["categoryId"], where: { deletedAt: null, ...(includeUnlisted ? {} : { unlisted: false }) }, _count: { _all: true } });
  const countOf = new Map(counts.map((c) => [c.categoryId, c._count._all]));
  const latest = await db.$queryRaw<Array<{ categoryId: string; id: string; slug: string; title: string; bumpedAt: Date }>>`
    SELECT DISTINCT ON ("categoryId") "categoryId", id, slug, title, "bumpedAt" FROM "ForumTopic"
    WHERE "deletedAt" IS NULL AND (unlisted = false OR ${includeUnlisted})
    ORDER BY "categoryId", "bumpedAt" DESC`;
  const latestOf = new Map(latest.map((t) => [t.categoryId, t]));
  return categories.map((c) => {
    const l = latestOf.get(c.id);
    return {
      slug: c.slug,
      name: c.name,
      description: c.description,
      color: c.color,
      url: categoryPath(c.slug),
      lessonSlug: c.lessonSlug,
      topicCount: countOf.get(c.id) ?? 0,
      latest: l ? { title: l.title, url: topicPath(l), bumpedAt: l.bumpedAt } : null,
    };
  });
}

/** A post the viewer may see (its text included), with its topic and text document. */
async function visiblePost(db: Db, postId: string, viewer: ForumViewer) {
  const post = await db.forumPost.findUnique({
    where: { id: postId },
    select: {
      id: true,
      number: true,
      authorId: true,
      wiki: true,
      raw: true,
      deletedAt: true,
      hiddenAt: true,
      topic: { select: { id: true, slug: true, title: true, deletedAt: true, archivedAt: true, replyCount: true } },
      document: { select: { id: true, currentNumber: true } },
    },
  });
  const own = post !== null && viewer.id !== null && post.authorId === viewer.id;
  const mayRead = post !== null && (isModerator(viewer.role) || (!post.topic.deletedAt && ((!post.deletedAt && !post.hiddenAt) || own)));
  if (!post || !mayRead || !post.document) throw new DomainError("NOT_FOUND", "There is no such post.");
  return { ...post, document: post.document };
}

/** What the post editor loads: the current text and its revision number (sent back as baseRevision). */
export async function postForEdit(db: Db, postId: string, viewer: ForumViewer) {
  const post = await visiblePost(db, postId, viewer);
  return { id: post.id, number: post.number, body: post.raw, baseRevision: post.document.currentNumber, wiki: post.wiki, canEdit: canEditPost(viewer, post, post.topic), topicUrl: topicPath(post.topic) };
}

/** A post's revisions, newest first: visible to everyone who can read the post (moderators: every post). */
export async function postHistory(db: Db, postId: string, viewer: ForumViewer) {
  const post = await visiblePost(db, postId, viewer);
  const revisions = await listRevisions(db, post.document.id);
  return {
    postId: post.id,
    number: post.number,
    wiki: post.wiki,
    topic: { id: post.topic.id, title: post.topic.title, url: topicPath(post.topic) },
    postUrl: postPath(post.topic, post.number),
    revisions: revisions.map((r) => ({ ...r, authorName: r.authorName ?? "unknown" })),
  };
}

export async function postDiff(db: Db, postId: string, from: number, to: number, viewer: ForumViewer) {
  const post = await visiblePost(db, postId, viewer);
  return { from, to, diff: await diffRevisions(db, post.document.id, from, to) };
}

export async function postRevisionText(db: Db, postId: string, number: number, viewer: ForumViewer) {
  const post = await visiblePost(db, postId, viewer);
  return getRevision(db, post.document.id, number);
}

/** A member's forum page (the target of `@mentions`): who they are and their latest visible posts. */
export async function userActivity(db: Db, username: string, viewer: ForumViewer) {
  const user = await db.user.findFirst({
    where: { username: { equals: username, mode: "insensitive" } },
    select: { id: true, name: true, username: true, createdAt: true, trustLevel: true, forumStat: { select: { postCount: true, topicCount: true } } },
  });
  if (!user) throw new DomainError("NOT_FOUND", `There is no member @${username}.`);
  const posts = await db.forumPost.findMany({
    where: {
      authorId: user.id,
      kind: "regular",
      ...(isModerator(viewer.role) ? {} : { deletedAt: null, hiddenAt: null, topic: { deletedAt: null, unlisted: false } }),
    },
    orderBy: { createdAt: "desc" },
    take: 20,
    select: { number: true, cooked: true, createdAt: true, topic: { select: { id: true, slug: true, title: true } } },
  });
  return {
    name: displayName(user),
    username: user.username!,
    joinedAt: user.createdAt,
    trustLevel: user.trustLevel,
    postCount: user.forumStat?.postCount ?? 0,
    topicCount: user.forumStat?.topicCount ?? 0,
    posts: posts.map((p) => {
      const text = htmlToText(p.cooked);
      return { topic: p.topic.title, url: postPath(p.topic, p.number), createdAt: p.createdAt, excerpt: text.length > 200 ? `${text.slice(0, 197)}…` : text };
    }),
  };
}
