import type { PrismaClient } from "@course/db";
import { getCourse } from "./content";
import { badRequest, notFound } from "./errors";
import { recordVisit } from "./forum/trust";
import { maxPositionFor, recordLessonOpened, saveLessonPosition } from "./progress";

// Writes of lesson progress, checked against the course (server only; ./progress is shared with the browser).

/** The lesson's meta from the course, or NOT_FOUND: progress is only kept for lessons that exist. */
async function lessonOrThrow(slug: string) {
  const lesson = (await getCourse()).lessons.find((l) => l.slug === slug);
  if (!lesson) throw notFound(`There is no lesson "${slug}".`);
  return lesson;
}

/** Records that the student opened an existing lesson's page; a visit that counts for their forum trust level. */
export async function openLesson(prisma: PrismaClient, userId: string, slug: string) {
  await lessonOrThrow(slug);
  const opened = await recordLessonOpened(prisma, userId, slug);
  await recordVisit(prisma, userId);
  return opened;
}

/** Saves the playback position of an existing lesson, refusing one past the end of its video. */
export async function savePosition(prisma: PrismaClient, userId: string, slug: string, positionSeconds: number) {
  const max = maxPositionFor((await lessonOrThrow(slug)).duration);
  if (positionSeconds > max) throw badRequest(`Position ${positionSeconds} s is past the end of the video (at most ${max} s).`);
  return saveLessonPosition(prisma, userId, slug, positionSeconds);
}
