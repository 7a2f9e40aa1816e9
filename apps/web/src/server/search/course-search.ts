import type { PrismaClient } from "@course/db";
import { contentDir, getCourse } from "../content";
import { ensureCourseIndexed } from "./course-index";
import { search, type SearchInput } from "./search";

/** Site search over this course: indexes it first when its content changed, and names each hit's lesson. */
export async function searchCourse(prisma: PrismaClient, input: SearchInput) {
  await ensureCourseIndexed(prisma, contentDir());
  const result = await search(prisma, input);
  const lessons = new Map((await getCourse()).lessons.map((l) => [l.slug, l.title]));
  return { ...result, hits: result.hits.map((hit) => ({ ...hit, lessonTitle: hit.lessonSlug ? (lessons.get(hit.lessonSlug) ?? null) : null })) };
}
