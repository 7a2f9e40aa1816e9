import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { signUpWithPassword, type PublicUser } from "~/server/auth/users";
import { startPosition } from "~/server/progress";
import { createCaller } from "~/server/trpc/root";
import { eachBackend } from "./support/backends";

// The procedures check slugs and durations against the repository's content/ (lesson-1 is 31:14 long).
const LESSON_1_DURATION = 31 * 60 + 14;
const password = "a sound passphrase";
const code = (error: unknown) => (error instanceof TRPCError ? error.code : String(error));

eachBackend((db) => {
  const caller = (user: PublicUser | null) => createCaller({ db: db(), user, ip: "127.0.0.1" });

  async function students() {
    // The first account becomes admin; make two plain students after it.
    await signUpWithPassword(db().prisma, { email: "admin@example.com", password });
    const ada = await signUpWithPassword(db().prisma, { email: "ada@example.com", password });
    const bob = await signUpWithPassword(db().prisma, { email: "bob@example.com", password });
    return { ada, bob };
  }

  describe("lesson progress procedures", () => {
    it("refuses anonymous visitors on every progress procedure", async () => {
      await students();
      expect(code(await caller(null).progress.open({ slug: "lesson-1" }).catch((e: unknown) => e))).toBe("UNAUTHORIZED");
      expect(code(await caller(null).progress.save({ slug: "lesson-1", positionSeconds: 10 }).catch((e: unknown) => e))).toBe("UNAUTHORIZED");
      expect(code(await caller(null).progress.forCourse().catch((e: unknown) => e))).toBe("UNAUTHORIZED");
      expect(await db().prisma.lessonProgress.count()).toBe(0);
    });

    it("records opening a lesson once per student, keeping the first and latest open", async () => {
      const { ada } = await students();
      const first = await caller(ada).progress.open({ slug: "lesson-1" });
      expect(first).toMatchObject({ lessonSlug: "lesson-1", positionSeconds: 0 });
      await new Promise((r) => setTimeout(r, 20));
      const again = await caller(ada).progress.open({ slug: "lesson-1" });
      expect(again.openedAt.getTime()).toBe(first.openedAt.getTime());
      expect(again.lastOpenedAt.getTime()).toBeGreaterThan(first.lastOpenedAt.getTime());
      expect(await db().prisma.lessonProgress.count({ where: { userId: ada.id } })).toBe(1);
    });

    it("saves and returns the position, and the latest save wins", async () => {
      const { ada } = await students();
      await caller(ada).progress.open({ slug: "lesson-1" });
      await caller(ada).progress.save({ slug: "lesson-1", positionSeconds: 120.25 });
      await caller(ada).progress.save({ slug: "lesson-1", positionSeconds: 754 });
      const course = await caller(ada).progress.forCourse();
      expect(course).toHaveLength(1);
      expect(course[0]).toMatchObject({ lessonSlug: "lesson-1", positionSeconds: 754 });
      // Saving without a recorded open still creates the row (the open request may have been lost).
      await caller(ada).progress.save({ slug: "lesson-0-setup", positionSeconds: 3 });
      expect((await caller(ada).progress.forCourse()).map((p) => p.lessonSlug).sort()).toEqual(["lesson-0-setup", "lesson-1"]);
    });

    it("validates positions: not negative, not past the video's end plus slack, finite, for a lesson that exists", async () => {
      const { ada } = await students();
      const bad = async (slug: string, positionSeconds: number) => caller(ada).progress.save({ slug, positionSeconds }).catch((e: unknown) => e);
      expect(code(await bad("lesson-1", -1))).toBe("BAD_REQUEST");
      expect(code(await bad("lesson-1", Number.POSITIVE_INFINITY))).toBe("BAD_REQUEST");
      const past = await bad("lesson-1", LESSON_1_DURATION + 31);
      expect(code(past)).toBe("BAD_REQUEST");
      expect((past as Error).message).toMatch(/past the end/);
      expect(code(await bad("no-such-lesson", 1))).toBe("NOT_FOUND");
      expect(code(await bad("../etc/passwd", 1))).toBe("BAD_REQUEST");
      expect(code(await caller(ada).progress.open({ slug: "no-such-lesson" }).catch((e: unknown) => e))).toBe("NOT_FOUND");
      // Just past the end (players report a little past it) is accepted.
      await expect(caller(ada).progress.save({ slug: "lesson-1", positionSeconds: LESSON_1_DURATION + 2 })).resolves.toMatchObject({ positionSeconds: LESSON_1_DURATION + 2 });
      expect(await db().prisma.lessonProgress.count()).toBe(1);
    });

    it("keeps each student's progress to themselves", async () => {
      const { ada, bob } = await students();
      await caller(ada).progress.save({ slug: "lesson-1", positionSeconds: 600 });
      expect(await caller(bob).progress.forCourse()).toEqual([]);
      await caller(bob).progress.save({ slug: "lesson-1", positionSeconds: 30 });
      // Bob's save did not touch Ada's row, and each sees only their own.
      expect((await caller(ada).progress.forCourse()).map((p) => p.positionSeconds)).toEqual([600]);
      expect((await caller(bob).progress.forCourse()).map((p) => p.positionSeconds)).toEqual([30]);
      // Input that names another user is not part of the API: extra keys are stripped, the caller's own row is used.
      await caller(bob).progress.save({ slug: "lesson-1", positionSeconds: 40, userId: ada.id } as { slug: string; positionSeconds: number });
      expect((await caller(ada).progress.forCourse()).map((p) => p.positionSeconds)).toEqual([600]);
      expect((await caller(bob).progress.forCourse()).map((p) => p.positionSeconds)).toEqual([40]);
    });

    it("deletes a student's progress with their account", async () => {
      const { ada } = await students();
      await caller(ada).progress.save({ slug: "lesson-1", positionSeconds: 600 });
      await db().prisma.user.delete({ where: { id: ada.id } });
      expect(await db().prisma.lessonProgress.count()).toBe(0);
    });
  });
});

describe("where a lesson page starts", () => {
  it("prefers a ?t= deep link, then a saved position worth resuming, then the beginning", () => {
    expect(startPosition(83, 600, LESSON_1_DURATION)).toEqual({ seconds: 83, reason: "deep-link" });
    expect(startPosition(0, 600, LESSON_1_DURATION)).toEqual({ seconds: 0, reason: "deep-link" });
    expect(startPosition(99_999, null, LESSON_1_DURATION)).toEqual({ seconds: LESSON_1_DURATION, reason: "deep-link" });
    expect(startPosition(null, 754, LESSON_1_DURATION)).toEqual({ seconds: 754, reason: "resume" });
    expect(startPosition(null, 2, LESSON_1_DURATION)).toEqual({ seconds: 0, reason: "start" });
    expect(startPosition(null, LESSON_1_DURATION - 3, LESSON_1_DURATION)).toEqual({ seconds: 0, reason: "start" });
    expect(startPosition(null, null, LESSON_1_DURATION)).toEqual({ seconds: 0, reason: "start" });
  });
});
