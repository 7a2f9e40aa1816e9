import { SLUG } from "@course/content";
import { z } from "zod";
import { mySubmissionIdsOnBoard, publicLeaderboard } from "../../homework/leaderboard";
import { createTRPCRouter, publicProcedure } from "../init";

const slugInput = z.object({ slug: z.string().regex(SLUG).max(100) });

/** Public: anyone may read a leaderboard. Names follow each student's preference; private scores wait for the deadline. */
export const leaderboardRouter = createTRPCRouter({
  get: publicProcedure.input(slugInput).query(({ ctx, input }) => publicLeaderboard(ctx.db.prisma, input.slug, ctx.user?.id)),
  /**
   * The caller's own submissions on this board (none for anonymous visitors): the leaderboard page is cached and the
   * same for everyone, so the browser asks this to mark the visitor's own rows.
   */
  mine: publicProcedure
    .input(slugInput)
    .query(async ({ ctx, input }) => ({ submissionIds: ctx.user ? await mySubmissionIdsOnBoard(ctx.db.prisma, input.slug, ctx.user.id) : [] })),
});
