import type { ForumCategoryDef } from "@course/content";
import type { Prisma, PrismaClient } from "@course/db";

type Db = PrismaClient | Prisma.TransactionClient;

/**
 * Makes the database's categories what the content defines (content/forum/categories.yaml and one per lesson):
 * new ones created, existing ones updated by slug, and those no longer defined marked removed (hidden from lists,
 * their topics kept; defining them again brings them back). Safe to run on every start and on two instances at once.
 */
export async function syncForumCategories(prisma: PrismaClient, defs: readonly ForumCategoryDef[]): Promise<{ created: string[]; removed: string[] }> {
  const existing = await prisma.forumCategory.findMany({ select: { slug: true, removedAt: true } });
  const known = new Set(existing.map((c) => c.slug));
  const wanted = new Set(defs.map((d) => d.slug));
  const created: string[] = [];
  for (const d of defs) {
    const data = { name: d.name, description: d.description, position: d.position, color: d.color, solvable: d.solvable, lessonSlug: d.lessonSlug, removedAt: null };
    // Another category may still hold this lesson (its slug changed in the content): it lets go first.
    if (d.lessonSlug) await prisma.forumCategory.updateMany({ where: { lessonSlug: d.lessonSlug, slug: { not: d.slug } }, data: { lessonSlug: null } });
    await prisma.forumCategory.upsert({ where: { slug: d.slug }, create: { slug: d.slug, ...data }, update: data });
    if (!known.has(d.slug)) created.push(d.slug);
  }
  const removed = existing.filter((c) => !wanted.has(c.slug) && !c.removedAt).map((c) => c.slug);
  if (removed.length) await prisma.forumCategory.updateMany({ where: { slug: { in: removed } }, data: { removedAt: new Date(), lessonSlug: null } });
  return { created, removed };
}

/** A live category by slug, or null. */
export async function categoryBySlug(db: Db, slug: string) {
  return db.forumCategory.findFirst({
    where: { slug, removedAt: null },
    select: { id: true, slug: true, name: true, description: true, color: true, lessonSlug: true, solvable: true, position: true },
  });
}
