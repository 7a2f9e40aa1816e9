import type { PrismaClient } from "@course/db";
import { contentDir, getCourse } from "../content";
import { displayName } from "../forum/users";
import { ensureCourseIndexed } from "./course-index";
import { search, type SearchInput } from "./search";

/**
 * Site search over this course: indexes it first when its content changed, and names what the hits' facets point
 * at: each hit's lesson, its category and its author (read now, so a renamed author or category shows its new name
 * without reindexing).
 */
export async function searchCourse(prisma: PrismaClient, input: SearchInput) {
  await ensureCourseIndexed(prisma, contentDir());
  const result = await search(prisma, input);
  const lessons = new Map((await getCourse()).lessons.map((l) => [l.slug, l.title]));
  const categorySlugs = [...new Set(result.hits.flatMap((h) => (h.category ? [h.category] : [])))];
  const authorIds = [...new Set(result.hits.flatMap((h) => (h.authorId ? [h.authorId] : [])))];
  const [categories, authors] = await Promise.all([
    categorySlugs.length ? prisma.forumCategory.findMany({ where: { slug: { in: categorySlugs } }, select: { slug: true, name: true } }) : [],
    authorIds.length ? prisma.user.findMany({ where: { id: { in: authorIds } }, select: { id: true, name: true, username: true } }) : [],
  ]);
  const categoryNames = new Map(categories.map((c) => [c.slug, c.name]));
  const authorsById = new Map(authors.map((a) => [a.id, { name: displayName(a), username: a.username }]));
  return {
    ...result,
    hits: result.hits.map((hit) => ({
      ...hit,
      lessonTitle: hit.lessonSlug ? (lessons.get(hit.lessonSlug) ?? null) : null,
      categoryName: hit.category ? (categoryNames.get(hit.category) ?? hit.category) : null,
      // A deleted account's posts keep their authorId until reindexed; they show as the forum shows them.
      author: hit.authorId ? (authorsById.get(hit.authorId) ?? { name: displayName(null), username: null }) : null,
    })),
  };
}
