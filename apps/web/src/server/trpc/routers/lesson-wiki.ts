import { SLUG } from "@course/content";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { getCourse } from "../../content";
import { lessonTimeline } from "../../wiki/lessons";
import { createTRPCRouter, publicProcedure } from "../init";

/** The lesson page's community timeline, from the lesson's wiki page: public, like the wiki it reads. */
export const lessonWikiRouter = createTRPCRouter({
  /**
   * Polled by the lesson page while it is visible. `since`: the revision the page already shows; while it is still
   * current the answer is `{ unchanged: true }` and nothing is rendered.
   */
  timeline: publicProcedure
    .input(z.object({ slug: z.string().regex(SLUG, "Expected a lesson slug like lesson-1.").max(100), since: z.number().int().min(0).optional() }))
    .query(async ({ ctx, input }) => {
      const lessons = (await getCourse()).lessons;
      const lesson = lessons.find((l) => l.slug === input.slug);
      if (!lesson) throw new TRPCError({ code: "NOT_FOUND", message: `There is no lesson "${input.slug}".` });
      return lessonTimeline(ctx.db.prisma, lesson, lessons, input.since);
    }),
});
