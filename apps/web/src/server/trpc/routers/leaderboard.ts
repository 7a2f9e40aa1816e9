import { SLUG } from "@course/content";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { getAssignment } from "../../homework/assignments";
import { buildLeaderboard } from "../../homework/leaderboard";
import { createTRPCRouter, publicProcedure } from "../init";

/** Public: anyone may read a leaderboard. Names follow each student's preference; private scores wait for the deadline. */
export const leaderboardRouter = createTRPCRouter({
  get: publicProcedure.input(z.object({ slug: z.string().regex(SLUG).max(100) })).query(async ({ ctx, input }) => {
    const assignment = await getAssignment(input.slug);
    if (!assignment) throw new TRPCError({ code: "NOT_FOUND", message: `There is no assignment "${input.slug}".` });
    const board = await buildLeaderboard(ctx.db.prisma, assignment);
    // userIds are internal; the public only needs ranks, names and scores. `you` marks the caller's own row.
    const me = ctx.user?.id;
    const strip = <T extends { userId: string }>(rows: T[]) => rows.map(({ userId, ...row }) => ({ ...row, you: me !== undefined && userId === me }));
    return { ...board, public: strip(board.public), final: board.final ? strip(board.final) : null, bestOverTime: board.bestOverTime.map(({ at, logLoss }) => ({ at, logLoss })) };
  }),
  /**
   * The caller's own submissions on this board (none for anonymous visitors): the leaderboard page is cached and the
   * same for everyone, so the browser asks this to mark the visitor's own rows.
   */
  mine: publicProcedure.input(z.object({ slug: z.string().regex(SLUG).max(100) })).query(async ({ ctx, input }) => {
    if (!ctx.user) return { submissionIds: [] as string[] };
    const rows = await ctx.db.prisma.submission.findMany({
      where: { userId: ctx.user.id, assignmentSlug: input.slug, publicLogLoss: { not: null } },
      select: { id: true },
    });
    return { submissionIds: rows.map((r) => r.id) };
  }),
});
