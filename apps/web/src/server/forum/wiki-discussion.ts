import type { Prisma, PrismaClient } from "@course/db";
import { DomainError } from "../errors";
import { REVISION_TRANSACTION } from "../revisions/documents";
import { lessonOfPage } from "../wiki/lessons";
import { parseWikiTitle } from "../wiki/pages";
import { wikiPath } from "../wiki/titles";
import { cookPost } from "./cook";
import { topicPath } from "./paths";
import { checkWrite, type ForumActor } from "./permissions";
import { postBody, replyToTopic } from "./posts";
import { createTopicIn, topicTitle } from "./topics";
import { ensureUsername } from "./users";

type Db = PrismaClient | Prisma.TransactionClient;

/** Where a page's discussion is started when the page belongs to no lesson (content/forum/categories.yaml). */
export const WIKI_DISCUSSION_CATEGORY = "general";

export const wikiDiscussionKey = (pageId: string) => `wiki:${pageId}`;

async function livePage(db: Db, rawTitle: string) {
  const t = parseWikiTitle(rawTitle);
  const page = await db.wikiPage.findUnique({ where: { key: t.key }, select: { id: true, key: true, title: true, deletedAt: true } });
  if (!page || page.deletedAt) throw new DomainError("NOT_FOUND", "There is no such wiki page.");
  return page;
}

/** The address of a wiki page's discussion topic, or null while nobody has started it. */
export async function wikiDiscussionUrl(db: Db, rawTitle: string): Promise<string | null> {
  const page = await livePage(db, rawTitle);
  const topic = await db.forumTopic.findUnique({ where: { key: wikiDiscussionKey(page.id) }, select: { id: true, slug: true, deletedAt: true } });
  return topic && !topic.deletedAt ? topicPath(topic) : null;
}

/**
 * The first post of a wiki page's "Discuss" tab: the topic (key `wiki:<pageId>`, in the page's lesson category or
 * "general") is created with it, so a visit alone never makes an empty topic. When someone else started it first
 * (two first posts at once), the post becomes a reply there instead.
 */
export async function discussWikiPage(prisma: PrismaClient, input: { title: string; body: string; author: ForumActor; lessons: ReadonlyArray<{ slug: string; wikiFile: string; notesFile: string }> }) {
  const page = await livePage(prisma, input.title);
  const key = wikiDiscussionKey(page.id);
  const existing = await prisma.forumTopic.findUnique({ where: { key }, select: { id: true } });
  if (existing) return replyToTopic(prisma, { topicId: existing.id, body: input.body, author: input.author });
  const body = postBody(input.body);
  const lesson = lessonOfPage(input.lessons, page.key);
  const category =
    (lesson ? await prisma.forumCategory.findFirst({ where: { lessonSlug: lesson.slug, removedAt: null }, select: { id: true, lessonSlug: true } }) : null) ??
    (await prisma.forumCategory.findFirst({ where: { slug: WIKI_DISCUSSION_CATEGORY, removedAt: null }, select: { id: true, lessonSlug: true } }));
  if (!category) throw new DomainError("NOT_FOUND", `There is no forum category "${WIKI_DISCUSSION_CATEGORY}" to discuss wiki pages in.`);
  await checkWrite(prisma, input.author, { action: "create-topic", body });
  await ensureUsername(prisma, input.author.id);
  const cooked = await cookPost(prisma, body, { lessonSlug: category.lessonSlug });
  const title = topicTitle(`Wiki: ${page.title.slice(0, 180)}`);
  try {
    const created = await prisma.$transaction((tx) => createTopicIn(tx, { categoryId: category.id, title, body, cooked, author: input.author, key }), REVISION_TRANSACTION);
    return { id: created.postId, number: 1, url: created.url };
  } catch (error) {
    // The key is unique: a concurrent first post won the race, so this one joins its topic.
    const raced = await prisma.forumTopic.findUnique({ where: { key }, select: { id: true } });
    if (!raced) throw error;
    return replyToTopic(prisma, { topicId: raced.id, body: input.body, author: input.author });
  }
}

export const wikiPageDiscussLink = (key: string) => `${wikiPath(key)}?action=discuss`;
