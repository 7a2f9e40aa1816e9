import { SLUG } from "@course/content";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { deadlinePassed, getAssignment } from "../../homework/assignments";
import { MAX_FINALS } from "../../homework/ranking";
import { canReadSubmission, canSeePrivate, FinalChoiceError, setFinalChoice, submissionViews } from "../../homework/submissions";
import { nextUtcMidnight, startOfUtcDay } from "../../homework/time";
import { createTRPCRouter, protectedProcedure, publicProcedure } from "../init";

const slugInput = z.string().regex(SLUG, "Expected an assignment slug like lesson-1.").max(100);
const idInput = z.string().min(1).max(100);

async function assignmentOrThrow(slug: string) {
  const assignment = await getAssignment(slug);
  if (!assignment) throw new TRPCError({ code: "NOT_FOUND", message: `There is no assignment "${slug}".` });
  return assignment;
}

/** Everything here answers for the signed-in student's own work, except that graders and admins may read any one submission. */
export const homeworkRouter = createTRPCRouter({
  /** The assignment as students see it, and, when signed in, how many submissions they have left today. */
  assignment: publicProcedure.input(z.object({ slug: slugInput })).query(async ({ ctx, input }) => {
    const a = await assignmentOrThrow(input.slug);
    const now = new Date();
    const usedToday = ctx.user
      ? await ctx.db.prisma.submission.count({ where: { userId: ctx.user.id, assignmentSlug: a.slug, createdAt: { gte: startOfUtcDay(now) } } })
      : null;
    return {
      slug: a.slug,
      lesson: a.lesson,
      title: a.title,
      summary: a.summary,
      deadline: a.deadline,
      closed: deadlinePassed(a, now),
      dailyLimit: a.dailyLimit,
      maxFileBytes: a.maxFileBytes,
      templateExists: a.templateExists,
      rubric: a.rubric,
      usedToday,
      nextAllowedAt: usedToday !== null && usedToday >= a.dailyLimit ? nextUtcMidnight(now) : null,
    };
  }),

  /** The student's own submissions for an assignment, newest first, with live status. */
  mySubmissions: protectedProcedure.input(z.object({ slug: slugInput })).query(async ({ ctx, input }) => {
    const a = await assignmentOrThrow(input.slug);
    const items = await submissionViews(ctx.db.prisma, { userId: ctx.user.id, assignmentSlug: a.slug }, canSeePrivate(ctx.user, a.deadline));
    return { items, active: items.some((s) => s.state === "queued" || s.state === "running"), maxFinals: MAX_FINALS };
  }),

  /** One submission: its owner's, or any for graders and admins. Others get NOT_FOUND, as for an unknown id. */
  submission: protectedProcedure.input(z.object({ id: idInput })).query(async ({ ctx, input }) => {
    const owner = await ctx.db.prisma.submission.findUnique({ where: { id: input.id }, select: { userId: true, assignmentSlug: true } });
    if (!owner || !canReadSubmission(ctx.user, owner)) throw new TRPCError({ code: "NOT_FOUND", message: "No such submission." });
    const a = await getAssignment(owner.assignmentSlug);
    const [view] = await submissionViews(ctx.db.prisma, { id: input.id }, a ? canSeePrivate(ctx.user, a.deadline) : false);
    if (!view) throw new TRPCError({ code: "NOT_FOUND", message: "No such submission." });
    return { ...view, mine: owner.userId === ctx.user.id, assignmentTitle: a?.title ?? owner.assignmentSlug, deadline: a?.deadline ?? null };
  }),

  /** Chooses (or unchooses) one of the student's own submissions for the final ranking; at most two. */
  setFinal: protectedProcedure.input(z.object({ id: idInput, final: z.boolean() })).mutation(async ({ ctx, input }) => {
    const owner = await ctx.db.prisma.submission.findUnique({ where: { id: input.id }, select: { userId: true, assignmentSlug: true } });
    if (!owner || owner.userId !== ctx.user.id) throw new TRPCError({ code: "NOT_FOUND", message: "No such submission." });
    const a = await getAssignment(owner.assignmentSlug);
    if (a && deadlinePassed(a)) throw new TRPCError({ code: "BAD_REQUEST", message: "The deadline has passed: final choices are locked." });
    try {
      const updated = await setFinalChoice(ctx.db.prisma, ctx.user.id, input.id, input.final, MAX_FINALS);
      if (!updated) throw new TRPCError({ code: "NOT_FOUND", message: "No such submission." });
      return updated;
    } catch (error) {
      if (error instanceof FinalChoiceError) throw new TRPCError({ code: "BAD_REQUEST", message: error.message });
      throw error;
    }
  }),

  /** How the student appears on leaderboards. */
  profile: protectedProcedure.query(async ({ ctx }) => {
    const p = await ctx.db.prisma.leaderboardProfile.findUnique({ where: { userId: ctx.user.id }, select: { displayName: true, anonymous: true } });
    return { displayName: p?.displayName ?? null, anonymous: p?.anonymous ?? false, accountName: ctx.user.name };
  }),

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
    .mutation(async ({ ctx, input }) => {
      return ctx.db.prisma.leaderboardProfile.upsert({
        where: { userId: ctx.user.id },
        create: { userId: ctx.user.id, displayName: input.displayName, anonymous: input.anonymous },
        update: { displayName: input.displayName, anonymous: input.anonymous },
        select: { displayName: true, anonymous: true },
      });
    }),
});
