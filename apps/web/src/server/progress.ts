import type { PrismaClient } from "@course/db";

/** How far past the known video duration a saved position may be (players report slightly past the end). */
export const POSITION_SLACK_SECONDS = 30;
/** Upper bound for lessons whose duration is not in the front matter. */
export const MAX_POSITION_SECONDS = 24 * 60 * 60;
/** Positions this close to the start or the end are not worth resuming at. */
const RESUME_MIN_SECONDS = 5;
const RESUME_END_MARGIN_SECONDS = 15;

export interface LessonProgressView {
  lessonSlug: string;
  openedAt: Date;
  lastOpenedAt: Date;
  updatedAt: Date;
  positionSeconds: number;
}

const fields = { lessonSlug: true, openedAt: true, lastOpenedAt: true, updatedAt: true, positionSeconds: true } as const;

/** The largest position that may be saved for a lesson of this duration (seconds). */
export function maxPositionFor(duration: number | null | undefined): number {
  return duration ? duration + POSITION_SLACK_SECONDS : MAX_POSITION_SECONDS;
}

/** Records that a student opened a lesson page (first and latest time). */
export async function recordLessonOpened(prisma: PrismaClient, userId: string, lessonSlug: string): Promise<LessonProgressView> {
  const now = new Date();
  return prisma.lessonProgress.upsert({
    where: { userId_lessonSlug: { userId, lessonSlug } },
    create: { userId, lessonSlug, openedAt: now, lastOpenedAt: now },
    update: { lastOpenedAt: now },
    select: fields,
  });
}

/** Saves a student's playback position in a lesson (creating the row if the lesson was never opened). */
export async function saveLessonPosition(prisma: PrismaClient, userId: string, lessonSlug: string, positionSeconds: number): Promise<LessonProgressView> {
  const position = Math.round(positionSeconds * 1000) / 1000;
  return prisma.lessonProgress.upsert({
    where: { userId_lessonSlug: { userId, lessonSlug } },
    create: { userId, lessonSlug, positionSeconds: position },
    update: { positionSeconds: position },
    select: fields,
  });
}

export async function lessonProgressFor(prisma: PrismaClient, userId: string, lessonSlug: string): Promise<LessonProgressView | null> {
  return prisma.lessonProgress.findUnique({ where: { userId_lessonSlug: { userId, lessonSlug } }, select: fields });
}

/** Every lesson the student has opened, most recently opened first. */
export async function courseProgressFor(prisma: PrismaClient, userId: string): Promise<LessonProgressView[]> {
  return prisma.lessonProgress.findMany({ where: { userId }, select: fields, orderBy: [{ lastOpenedAt: "desc" }, { lessonSlug: "asc" }] });
}

/**
 * Where a lesson page starts: a `?t=` deep link wins; otherwise the saved position when it is worth resuming
 * (not in the first seconds, not at the very end); otherwise the beginning.
 */
export function startPosition(
  deepLink: number | null,
  saved: number | null | undefined,
  duration: number | null | undefined,
): { seconds: number; reason: "deep-link" | "resume" | "start" } {
  if (deepLink !== null) return { seconds: duration ? Math.min(deepLink, duration) : deepLink, reason: "deep-link" };
  if (saved != null && saved >= RESUME_MIN_SECONDS && (!duration || saved < duration - RESUME_END_MARGIN_SECONDS)) {
    return { seconds: saved, reason: "resume" };
  }
  return { seconds: 0, reason: "start" };
}
