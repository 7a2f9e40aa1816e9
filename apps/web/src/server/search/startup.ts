import type { PrismaClient } from "@course/db";
import { contentDir } from "../content";
import { ensureCourseIndexed } from "./course-index";

/** Start-up: index the course when its content changed since the last indexing. A failure is logged, not fatal. */
export async function indexCourseAtStart(prisma: PrismaClient): Promise<void> {
  try {
    const result = await ensureCourseIndexed(prisma, contentDir());
    if (result?.reindexed) {
      console.log(`[search] indexed ${result.lessons} lesson(s) and ${result.transcriptLines} transcript line(s)`);
    } else {
      console.log("[search] course index is up to date");
    }
  } catch (error) {
    console.error(`[search] could not index the course: ${(error as Error).message}`);
  }
}
