import { SLUG } from "@course/content";
import { z } from "zod";
import { courseProgressFor } from "../../progress";
import { openLesson, savePosition } from "../../lesson-progress";
import { createTRPCRouter, protectedProcedure } from "../init";

const slugInput = z.string().regex(SLUG, "Expected a lesson slug like lesson-1.").max(100);

/** Progress is always the signed-in student's own: no procedure takes a user id. */
export const progressRouter = createTRPCRouter({
  /** Records that the student opened the lesson page. */
  open: protectedProcedure.input(z.object({ slug: slugInput })).mutation(({ ctx, input }) => openLesson(ctx.db.prisma, ctx.user.id, input.slug)),

  /** Saves the playback position (the client throttles this to about every 10 s while playing, and on pause/leave). */
  save: protectedProcedure
    .input(
      z.object({
        slug: slugInput,
        positionSeconds: z.number().finite("Position must be a finite number of seconds.").min(0, "Position must be 0 or more seconds."),
      }),
    )
    .mutation(({ ctx, input }) => savePosition(ctx.db.prisma, ctx.user.id, input.slug, input.positionSeconds)),

  /** The student's progress in every lesson they opened. */
  forCourse: protectedProcedure.query(({ ctx }) => courseProgressFor(ctx.db.prisma, ctx.user.id)),
});
