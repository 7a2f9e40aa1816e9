import { loadForumCategories } from "@course/content";
import type { PrismaClient } from "@course/db";
import { contentDir, getCourse } from "../content";
import { getAssignments } from "../homework/assignments";
import { extrasFor } from "../wiki/lesson-startup";
import { syncForumCategories } from "./categories";
import { ensureLessonThreads } from "./lesson-threads";

/**
 * Start-up: the forum's categories are what the content defines, and each lesson's thread exists. Runs after the
 * lessons' wiki pages are made (the thread's first post links them). A failure is logged; the site still starts.
 */
export async function setUpForumAtStart(prisma: PrismaClient): Promise<void> {
  try {
    const course = await getCourse();
    const defs = await loadForumCategories(contentDir(), course.lessons);
    const { created, removed } = await syncForumCategories(prisma, defs);
    if (created.length) console.log(`[forum] created ${created.length} categor${created.length === 1 ? "y" : "ies"}: ${created.join(", ")}`);
    if (removed.length) console.log(`[forum] ${removed.length} categor${removed.length === 1 ? "y is" : "ies are"} no longer in the content (hidden, topics kept): ${removed.join(", ")}`);
    const homework = await getAssignments().catch(() => []);
    const threads = await ensureLessonThreads(prisma, course.lessons, (slug) => extrasFor(course.lessons.find((l) => l.slug === slug)!.file, slug, homework));
    if (threads.length) console.log(`[forum] created ${threads.length} lesson thread(s): ${threads.join(", ")}`);
  } catch (error) {
    console.error(`[forum] could not set up the forum's categories and lesson threads: ${(error as Error).message}`);
  }
}
