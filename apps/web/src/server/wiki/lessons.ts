import type { LessonMeta } from "@course/content";
import { formatTime } from "@course/content/time";
import type { PrismaClient } from "@course/db";
import { renderMarkdown, type LessonTarget } from "@course/markdown";
import { lessonThreadPath } from "../forum/paths";
import { currentText } from "../revisions/documents";
import { savePage, type WikiActor } from "./pages";
import { keyOrNull, keyToTitle, wikiPath } from "./titles";

/**
 * Lessons and the wiki as one: each lesson's `wiki_file` and `notes_file` pages exist from the first start, with a
 * starter made from the lesson (what fast.ai's wiki did by hand), and the wiki page's time links are the lesson
 * page's community timeline.
 */

/** The author of the starter pages: the platform, not an account (its name is kept on the revision). */
export const SYSTEM_ACTOR: WikiActor = { id: null, name: "Course platform", role: "admin" };

type LessonFacts = Pick<LessonMeta, "slug" | "lesson" | "title" | "youtubeId" | "chapters" | "wikiFile" | "notesFile" | "forumThread">;

export interface LessonExtras {
  /** content-relative notebook paths the lesson links to (`notebooks/lesson-1.ipynb`) */
  notebooks: string[];
  homework: Array<{ slug: string; title: string }>;
}

/** `[[Lesson 1@4:40]]` in any text: a lesson by its number ("Lesson 1", "1"), slug or title, case-insensitive. */
export function lessonResolver(lessons: readonly Pick<LessonMeta, "slug" | "lesson" | "title">[]): (name: string) => LessonTarget | undefined {
  return (name) => {
    const n = name.trim().toLowerCase().replace(/\s+/g, " ");
    const hit = lessons.find((l) => n === `lesson ${l.lesson}` || n === String(l.lesson) || n === l.slug || n === l.title.toLowerCase());
    return hit ? { slug: hit.slug, title: `Lesson ${hit.lesson}` } : undefined;
  };
}

/** The lesson whose wiki or notes page `key` is (its time links' short forms `@4:40` then point at that lesson). */
export function lessonOfPage<L extends Pick<LessonMeta, "wikiFile" | "notesFile">>(lessons: readonly L[], key: string): L | undefined {
  return lessons.find((l) => keyOrNull(l.wikiFile) === key || keyOrNull(l.notesFile) === key);
}

/** The starter text of a lesson's wiki page (`kind` "wiki") or notes page ("notes"). */
export function lessonStarter(lesson: LessonFacts, extras: LessonExtras, kind: "wiki" | "notes"): string {
  const name = `Lesson ${lesson.lesson}`;
  const out: string[] = [];
  if (kind === "wiki") {
    out.push(
      `The wiki page of [${name}: ${lesson.title}](/lessons/${lesson.slug}), written by everyone taking the course. Add what helps: ` +
        "links, explanations, errata. A line with a time link such as `@4:40` shows up on the lesson's timeline, beside the video.",
    );
  } else {
    out.push(`Notes on [${name}: ${lesson.title}](/lessons/${lesson.slug}), kept by the class. The lesson's wiki page is [[${keyToTitle(lesson.wikiFile)}]].`);
  }
  if (lesson.youtubeId !== null && lesson.chapters.length > 0) {
    out.push("## Timeline", lesson.chapters.map((c) => `- @${formatTime(c.start)} ${c.title}`).join("\n"));
  }
  const links: string[] = [];
  for (const path of extras.notebooks) links.push(`- Notebook: [${path.split("/").pop()}](/${path})`);
  for (const h of extras.homework) links.push(`- Homework: [${h.title}](/homework/${h.slug})`);
  links.push(`- Forum thread: [${lesson.forumThread}](${lessonThreadPath(lesson.forumThread)})`);
  if (kind === "wiki") links.push(`- Notes: [[${keyToTitle(lesson.notesFile)}]]`);
  out.push("## Links", links.join("\n"));
  return `${out.join("\n\n")}\n`;
}

/**
 * Creates each lesson's wiki and notes page when absent. Never touches a page that exists, was edited, moved away or
 * deleted (a deleted page stays deleted): a second start, or two at once, changes nothing. Returns the titles created.
 */
export async function ensureLessonPages(
  prisma: PrismaClient,
  lessons: readonly LessonFacts[],
  extrasOf: (slug: string) => LessonExtras | Promise<LessonExtras>,
): Promise<string[]> {
  const created: string[] = [];
  for (const lesson of lessons) {
    for (const [file, kind] of [
      [lesson.wikiFile, "wiki"],
      [lesson.notesFile, "notes"],
    ] as const) {
      const key = keyOrNull(file);
      if (!key || (await prisma.wikiPage.findUnique({ where: { key }, select: { id: true } }))) continue;
      const body = lessonStarter(lesson, await extrasOf(lesson.slug), kind);
      const result = await savePage(prisma, {
        title: key,
        body,
        baseRevision: 0,
        author: SYSTEM_ACTOR,
        summary: `Starter made from ${lesson.slug}`,
        watch: false,
      });
      // Another instance created it meanwhile: its save stands, and ours (a conflict or a merge of the same text) is
      // not counted.
      if (result.status === "saved" && result.created) created.push(result.title);
    }
  }
  return created;
}

export interface TimelineItem {
  seconds: number;
  /** the time as shown ("4:40") */
  label: string;
  /** the words of the wiki line the time link is on */
  text: string;
  /** the lesson page at that moment (`/lessons/lesson-1?t=4m40s`) */
  href: `/lessons/${string}`;
}

export interface LessonTimeline {
  /** the wiki page's address */
  page: string;
  /** its current revision number; 0 when the page does not exist */
  revision: number;
  items: TimelineItem[];
}

/** Timelines by page id and revision: a revision never changes, so a poll that finds the same number renders nothing. */
const rendered = new Map<string, TimelineItem[]>();
const RENDERED_MAX = 200;

const isLessonHref = (href: string): href is `/lessons/${string}` => href.startsWith("/lessons/");

/** The time links of `text` that point at `lesson`, in time order, each with its line (through the one pipeline). */
export function timelineItems(text: string, lesson: Pick<LessonMeta, "slug">, lessons: readonly Pick<LessonMeta, "slug" | "lesson" | "title">[]): TimelineItem[] {
  const { found } = renderMarkdown(text, { currentLesson: lesson.slug, lesson: lessonResolver(lessons) });
  const seen = new Set<string>();
  const items: TimelineItem[] = [];
  for (const v of found.videoTimes) {
    if (v.lesson !== lesson.slug || !isLessonHref(v.href)) continue;
    const id = `${v.seconds}\u0000${v.line}`;
    if (seen.has(id)) continue;
    seen.add(id);
    items.push({ seconds: v.seconds, label: formatTime(v.seconds), text: v.line, href: v.href });
  }
  return items.sort((a, b) => a.seconds - b.seconds);
}

/**
 * The lesson's community timeline: the time links to this lesson on the current revision of its wiki page (after a
 * redirect, when the page was moved). `since`: the revision the caller already has; when it is still current the
 * answer says so without items (the cheap answer to a poll).
 */
export async function lessonTimeline(
  prisma: PrismaClient,
  lesson: Pick<LessonMeta, "slug" | "wikiFile">,
  lessons: readonly Pick<LessonMeta, "slug" | "lesson" | "title">[],
  since?: number,
): Promise<LessonTimeline & { unchanged: boolean }> {
  let key = keyOrNull(lesson.wikiFile);
  const select = { id: true, key: true, redirectKey: true, deletedAt: true, document: { select: { id: true, currentNumber: true } } } as const;
  let page = key ? await prisma.wikiPage.findUnique({ where: { key }, select }) : null;
  if (page?.redirectKey && !page.deletedAt) {
    key = page.redirectKey;
    page = await prisma.wikiPage.findUnique({ where: { key }, select });
  }
  const address = wikiPath(page?.key ?? lesson.wikiFile);
  if (!page || page.deletedAt || !page.document) return { page: address, revision: 0, items: [], unchanged: since === 0 };
  const latest = page.document.currentNumber;
  if (since === latest) return { page: address, revision: latest, items: [], unchanged: true };
  let items = rendered.get(`${page.id}@${latest}@${lesson.slug}`);
  if (items) return { page: address, revision: latest, items, unchanged: false };
  // The text read may be newer than `latest` (a save in between): key the items by the number read with it.
  const { number, body } = await currentText(prisma, page.document.id);
  items = timelineItems(body, lesson, lessons);
  if (rendered.size >= RENDERED_MAX) rendered.delete(rendered.keys().next().value!);
  rendered.set(`${page.id}@${number}@${lesson.slug}`, items);
  return { page: address, revision: number, items, unchanged: false };
}
