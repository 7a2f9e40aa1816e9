import type { PrismaClient } from "@course/db";
import type { PublicUser } from "../auth/users";
import { badRequest, notFound } from "../errors";
import { deadlinePassed, getAssignment } from "./assignments";
import { MAX_FINALS } from "./ranking";
import { canReadSubmission, canSeePrivate, setFinalChoice, submissionViews } from "./submissions";
import { nextUtcMidnight, startOfUtcDay } from "./time";

/** What the homework router and pages serve: the assignment, a student's submissions and choices, their leaderboard name. */

export async function assignmentOrThrow(slug: string) {
  const assignment = await getAssignment(slug);
  if (!assignment) throw notFound(`There is no assignment "${slug}".`);
  return assignment;
}

/** The assignment as students see it, and, for a signed-in user, how many submissions they have left today. */
export async function assignmentView(prisma: PrismaClient, slug: string, user: PublicUser | null, now = new Date()) {
  const a = await assignmentOrThrow(slug);
  const usedToday = user
    ? await prisma.submission.count({ where: { userId: user.id, assignmentSlug: a.slug, createdAt: { gte: startOfUtcDay(now) } } })
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
}

/** The user's own submissions for an assignment, newest first, with live status. */
export async function mySubmissions(prisma: PrismaClient, slug: string, user: PublicUser) {
  const a = await assignmentOrThrow(slug);
  const items = await submissionViews(prisma, { userId: user.id, assignmentSlug: a.slug }, canSeePrivate(user, a.deadline));
  return { items, active: items.some((s) => s.state === "queued" || s.state === "running"), maxFinals: MAX_FINALS };
}

/** One submission: its owner's, or any for graders and admins. Others get NOT_FOUND, as for an unknown id. */
export async function submissionFor(prisma: PrismaClient, id: string, user: PublicUser) {
  const owner = await prisma.submission.findUnique({ where: { id }, select: { userId: true, assignmentSlug: true } });
  if (!owner || !canReadSubmission(user, owner)) throw notFound("No such submission.");
  const a = await getAssignment(owner.assignmentSlug);
  const [view] = await submissionViews(prisma, { id }, a ? canSeePrivate(user, a.deadline) : false);
  if (!view) throw notFound("No such submission.");
  return { ...view, mine: owner.userId === user.id, assignmentTitle: a?.title ?? owner.assignmentSlug, deadline: a?.deadline ?? null };
}

/** A submission with its stored notebooks and CSV, for the pages that render them; NOT_FOUND for anyone who may not read it. */
export async function submissionWithFiles(prisma: PrismaClient, id: string, user: PublicUser) {
  const job = { select: { status: true, failureReason: true, lastError: true, executedNotebook: true, submissionCsv: true } } as const;
  const sub = await prisma.submission.findUnique({
    where: { id },
    select: { id: true, userId: true, assignmentSlug: true, fileName: true, size: true, sha256: true, createdAt: true, notebook: true, job },
  });
  // Someone else's submission looks exactly like one that does not exist.
  if (!sub || !canReadSubmission(user, sub)) throw notFound("No such submission.");
  return { ...sub, assignment: await getAssignment(sub.assignmentSlug) };
}

/** Chooses (or unchooses) one of the user's own submissions for the final ranking; at most MAX_FINALS, before the deadline. */
export async function chooseFinal(prisma: PrismaClient, userId: string, id: string, final: boolean) {
  const owner = await prisma.submission.findUnique({ where: { id }, select: { userId: true, assignmentSlug: true } });
  if (!owner || owner.userId !== userId) throw notFound("No such submission.");
  const a = await getAssignment(owner.assignmentSlug);
  if (a && deadlinePassed(a)) throw badRequest("The deadline has passed: final choices are locked.");
  const updated = await setFinalChoice(prisma, userId, id, final, MAX_FINALS);
  if (!updated) throw notFound("No such submission.");
  return updated;
}

/** How the user appears on leaderboards. */
export async function leaderboardProfile(prisma: PrismaClient, user: PublicUser) {
  const p = await prisma.leaderboardProfile.findUnique({ where: { userId: user.id }, select: { displayName: true, anonymous: true } });
  return { displayName: p?.displayName ?? null, anonymous: p?.anonymous ?? false, accountName: user.name };
}

export function updateLeaderboardProfile(prisma: PrismaClient, userId: string, profile: { displayName: string | null; anonymous: boolean }) {
  return prisma.leaderboardProfile.upsert({
    where: { userId },
    create: { userId, ...profile },
    update: profile,
    select: { displayName: true, anonymous: true },
  });
}
