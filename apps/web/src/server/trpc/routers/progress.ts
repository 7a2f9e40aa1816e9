import { SLUG } from "@course/content";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { getCourse } from "../../content";
import { courseProgressFor, maxPositionFor, recordLessonOpened, saveLessonPosition } from "../../progress";
import { createTRPCRouter, protectedProcedure } from "../init";

const slugInput = z.string().regex(SLUG, "Expected a lesson slug like lesson-1.").max(100);

/** The lesson's meta from the course, or NOT_FOUND: progress is only kept for lessons that exist. */
async function lessonOrThrow(slug: string) {
  const lesson = (await getCourse()).lessons.find((l) => l.slug === slug);
  if (!lesson) throw new TRPCError({ code: "NOT_FOUND", message: `There is no lesson "${slug}".` });
  return lesson;
}

/** Progress is always the signed-in student's own: no procedure takes a user id. */
export const progressRouter = createTRPCRouter({
  /** Records that the student opened the lesson page. */
  open: protectedProcedure.input(z.object({ slug: slugInput })).mutation(async ({ ctx, input }) => {
    await lessonOrThrow(input.slug);
    return recordLessonOpened(ctx.db.prisma, ctx.user.id, input.slug);
  }),

  /** Saves the playback position (the client throttles this to about every 10 s while playing, and on pause/leave). */
  save: protectedProcedure
    .input(
      z.object({
        slug: slugInput,
        positionSeconds: z.number().finite("Position must be a finite number of seconds.").min(0, "Position must be 0 or more seconds."),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const lesson = await lessonOrThrow(input.slug);
      const max = maxPositionFor(lesson.duration);
      if (input.positionSeconds > max) {
        throw new TRPCError({ code: "BAD_REQUEST", message: `Position ${input.positionSeconds} s is past the end of the video (at most ${max} s).` });
      }
      return saveLessonPosition(ctx.db.prisma, ctx.user.id, input.slug, input.positionSeconds);
    }),

  /** The student's progress in every lesson they opened. */
  forCourse: protectedProcedure.query(({ ctx }) => courseProgressFor(ctx.db.prisma, ctx.user.id)),
});
