import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { PrismaClient } from "@course/db";
import { getCourse } from "../content";
import { getAssignments } from "../homework/assignments";
import { ensureLessonPages, lessonOfPage, lessonResolver, type LessonExtras } from "./lessons";

const NOTEBOOK_LINK = /<NotebookLink\s+path="(notebooks\/[^"]+\.ipynb)"/g;

/** What the starter links to: the notebooks the lesson's body names and its homework (the forum's starter too). */
export async function extrasFor(file: string, slug: string, homework: Array<{ slug: string; title: string; lesson: string }>): Promise<LessonExtras> {
  const source = await readFile(file, "utf8").catch(() => "");
  return {
    notebooks: [...new Set([...source.matchAll(NOTEBOOK_LINK)].map((m) => m[1]!))],
    homework: homework.filter((h) => h.lesson === slug).map(({ slug: s, title }) => ({ slug: s, title })),
  };
}

/** Start-up: each lesson's wiki and notes pages exist (created when absent, never overwritten). A failure is logged. */
export async function seedLessonPagesAtStart(prisma: PrismaClient): Promise<void> {
  try {
    const course = await getCourse();
    const homework = await getAssignments().catch(() => []);
    const created = await ensureLessonPages(prisma, course.lessons, (slug) => extrasFor(course.lessons.find((l) => l.slug === slug)!.file, slug, homework));
    if (created.length > 0) console.log(`[wiki] created ${created.length} lesson page(s): ${created.join(", ")}`);
  } catch (error) {
    console.error(`[wiki] could not create the lessons' wiki pages: ${(error as Error).message}`);
  }
}

/** Bump when the same text would render differently (the pipeline or the wiki's resolvers changed): stored HTML is then rendered again on its next view. */
export const RENDER_VERSION = 2;

/**
 * How a wiki page's time links resolve: `[[Lesson 1@4:40]]` anywhere, and on a lesson's wiki or notes page the short
 * forms `@4:40` for that lesson (as on its timeline). Content that cannot be read leaves time links as text.
 * `context` names everything the options depend on (stored beside the page's HTML: when it differs, the HTML is
 * rendered again).
 */
export async function lessonRenderOptions(pageKey: string): Promise<{ lesson?: ReturnType<typeof lessonResolver>; currentLesson?: string; context: string }> {
  const lessons = await getCourse().then((c) => c.lessons, () => []);
  const own = lessonOfPage(lessons, pageKey);
  const names = createHash("sha1").update(lessons.map((l) => `${l.slug}\t${l.lesson}\t${l.title}`).join("\n")).digest("hex").slice(0, 16);
  return { lesson: lessonResolver(lessons), ...(own ? { currentLesson: own.slug } : {}), context: `v${RENDER_VERSION}:${own?.slug ?? ""}:${names}` };
}
