import type { LessonMeta } from "@course/content";
import { formatTime } from "@course/content/time";
import type { Prisma, PrismaClient } from "@course/db";
import { REVISION_TRANSACTION } from "../revisions/documents";
import { htmlToText } from "../wiki/render";
import { keyToTitle } from "../wiki/titles";
import type { LessonExtras } from "../wiki/lessons";
import { cookPost } from "./cook";
import { postPath, topicPath } from "./paths";
import { postBody, type SystemAuthor } from "./posts";
import { createTopicIn } from "./topics";
import { displayName } from "./users";

/**
 * Each lesson's discussion thread (front matter `forum_thread`): a topic in the lesson's category, created on start
 * when absent, whose first post is a wiki post seeded from the lesson (chapters as video-time links, links to its wiki
 * and notes pages, notebooks and homework) that members improve. Found by its key `lesson:<forum_thread>`.
 */

type Db = PrismaClient | Prisma.TransactionClient;
type LessonFacts = Pick<LessonMeta, "slug" | "lesson" | "title" | "youtubeId" | "chapters" | "wikiFile" | "notesFile" | "forumThread">;

export const FORUM_SYSTEM_AUTHOR: SystemAuthor = { id: null, name: "Course platform" };

export const lessonThreadKey = (forumThread: string) => `lesson:${forumThread}`;

export const lessonThreadTitle = (lesson: Pick<LessonMeta, "lesson" | "title">) => `Lesson ${lesson.lesson} discussion: ${lesson.title}`;

/** The first post of a lesson's thread, before anyone edits it. `@4:40` links point at the lesson (its category's). */
export function lessonThreadStarter(lesson: LessonFacts, extras: LessonExtras): string {
  const out: string[] = [
    `The discussion of [Lesson ${lesson.lesson}: ${lesson.title}](/lessons/${lesson.slug}). This first post is a wiki: ` +
      "everyone signed in can improve it (Edit). Ask questions and share what you found in replies below; a time such as `@4:40` links to that moment of the video.",
  ];
  if (lesson.youtubeId !== null && lesson.chapters.length > 0) {
    out.push("## Chapters", lesson.chapters.map((c) => `- @${formatTime(c.start)} ${c.title}`).join("\n"));
  }
  const links = [`- Wiki page: [[${keyToTitle(lesson.wikiFile)}]]`, `- Notes: [[${keyToTitle(lesson.notesFile)}]]`];
  for (const path of extras.notebooks) links.push(`- Notebook: [${path.split("/").pop()}](/${path})`);
  for (const h of extras.homework) links.push(`- Homework: [${h.title}](/homework/${h.slug})`);
  out.push("## Links", links.join("\n"));
  return `${out.join("\n\n")}\n`;
}

/**
 * Creates each lesson's thread when absent (never touching one that exists, was edited or deleted). A lesson whose
 * category is missing (the content sync did not run) is skipped. Two instances starting at once create one thread:
 * the topic key is unique and the loser's insert fails. Returns the keys created.
 */
export async function ensureLessonThreads(prisma: PrismaClient, lessons: readonly LessonFacts[], extrasOf: (slug: string) => LessonExtras | Promise<LessonExtras>): Promise<string[]> {
  const created: string[] = [];
  for (const lesson of lessons) {
    const key = lessonThreadKey(lesson.forumThread);
    if (await prisma.forumTopic.findUnique({ where: { key }, select: { id: true } })) continue;
    const category = await prisma.forumCategory.findUnique({ where: { lessonSlug: lesson.slug }, select: { id: true } });
    if (!category) continue;
    const body = postBody(lessonThreadStarter(lesson, await extrasOf(lesson.slug)));
    const cooked = await cookPost(prisma, body, { lessonSlug: lesson.slug });
    try {
      await prisma.$transaction(async (tx) => {
        const topic = await createTopicIn(tx, { categoryId: category.id, title: lessonThreadTitle(lesson), body, cooked, author: FORUM_SYSTEM_AUTHOR, key, wiki: true });
        // The address people know from the course: the thread's name.
        await tx.forumTopic.update({ where: { id: topic.id }, data: { slug: lesson.forumThread } });
      }, REVISION_TRANSACTION);
      created.push(key);
    } catch (error) {
      if ((error as { code?: string }).code !== "P2002") throw error;
    }
  }
  return created;
}

export interface LessonThreadSummary {
  url: string;
  title: string;
  replyCount: number;
  /** the newest replies, newest first */
  latest: Array<{ number: number; author: string; excerpt: string; createdAt: Date; url: string }>;
}

/** What the lesson page shows of its thread: the reply count and the newest replies (null when it does not exist). */
export async function lessonThreadSummary(db: Db, forumThread: string, take = 3): Promise<LessonThreadSummary | null> {
  const topic = await db.forumTopic.findUnique({ where: { key: lessonThreadKey(forumThread) }, select: { id: true, slug: true, title: true, replyCount: true, deletedAt: true } });
  if (!topic || topic.deletedAt) return null;
  const replies = await db.forumPost.findMany({
    where: { topicId: topic.id, number: { gt: 1 }, deletedAt: null, hiddenAt: null, kind: "regular" },
    orderBy: { number: "desc" },
    take,
    select: { number: true, cooked: true, createdAt: true, author: { select: { name: true, username: true } } },
  });
  return {
    url: topicPath(topic),
    title: topic.title,
    replyCount: topic.replyCount,
    latest: replies.map((r) => {
      const text = htmlToText(r.cooked);
      return { number: r.number, author: displayName(r.author), excerpt: text.length > 160 ? `${text.slice(0, 157)}…` : text, createdAt: r.createdAt, url: postPath(topic, r.number) };
    }),
  };
}

/** The address of a lesson's thread by its `forum_thread` name, or null when it does not exist (or was deleted). */
export async function lessonThreadUrl(db: Db, forumThread: string): Promise<string | null> {
  const topic = await db.forumTopic.findUnique({ where: { key: lessonThreadKey(forumThread) }, select: { id: true, slug: true, deletedAt: true } });
  return topic && !topic.deletedAt ? topicPath(topic) : null;
}
