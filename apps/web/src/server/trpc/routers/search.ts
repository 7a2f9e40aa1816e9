import { getCourse, contentDir } from "../../content";
import { ensureCourseIndexed, search, searchInput } from "../../search";
import { createTRPCRouter, publicProcedure } from "../init";

/** Site search: public, like the pages it finds (lessons and transcripts are public). */
export const searchRouter = createTRPCRouter({
  query: publicProcedure.input(searchInput).query(async ({ ctx, input }) => {
    await ensureCourseIndexed(ctx.db.prisma, contentDir());
    const result = await search(ctx.db.prisma, input);
    const lessons = new Map((await getCourse()).lessons.map((l) => [l.slug, l.title]));
    return { ...result, hits: result.hits.map((hit) => ({ ...hit, lessonTitle: hit.lessonSlug ? (lessons.get(hit.lessonSlug) ?? null) : null })) };
  }),
});
