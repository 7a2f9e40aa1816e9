import { SLUG } from "@course/content";
import { z } from "zod";
import { assignmentView, chooseFinal, leaderboardProfile, mySubmissions, submissionFor, updateLeaderboardProfile } from "../../homework/student";
import { createTRPCRouter, protectedProcedure, publicProcedure } from "../init";

const slugInput = z.string().regex(SLUG, "Expected an assignment slug like lesson-1.").max(100);
const idInput = z.string().min(1).max(100);

/** Everything here answers for the signed-in student's own work, except that graders and admins may read any one submission. */
export const homeworkRouter = createTRPCRouter({
  /** The assignment as students see it, and, when signed in, how many submissions they have left today. */
  assignment: publicProcedure.input(z.object({ slug: slugInput })).query(({ ctx, input }) => assignmentView(ctx.db.prisma, input.slug, ctx.user)),

  /** The student's own submissions for an assignment, newest first, with live status. */
  mySubmissions: protectedProcedure.input(z.object({ slug: slugInput })).query(({ ctx, input }) => mySubmissions(ctx.db.prisma, input.slug, ctx.user)),

  /** One submission: its owner's, or any for graders and admins. Others get NOT_FOUND, as for an unknown id. */
  submission: protectedProcedure.input(z.object({ id: idInput })).query(({ ctx, input }) => submissionFor(ctx.db.prisma, input.id, ctx.user)),

  /** Chooses (or unchooses) one of the student's own submissions for the final ranking; at most two. */
  setFinal: protectedProcedure
    .input(z.object({ id: idInput, final: z.boolean() }))
    .mutation(({ ctx, input }) => chooseFinal(ctx.db.prisma, ctx.user.id, input.id, input.final)),

  /** How the student appears on leaderboards. */
  profile: protectedProcedure.query(({ ctx }) => leaderboardProfile(ctx.db.prisma, ctx.user)),

  updateProfile: protectedProcedure
    .input(
      z.object({
        displayName: z
          .string()
          .trim()
          .max(60, "Display names are at most 60 characters.")
          .transform((v) => (v === "" ? null : v))
          .nullable(),
        anonymous: z.boolean(),
      }),
    )
    .mutation(({ ctx, input }) => updateLeaderboardProfile(ctx.db.prisma, ctx.user.id, input)),
});
