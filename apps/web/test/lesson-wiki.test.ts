import { loadCourse } from "@course/content";
import { findRepoRoot, type Database } from "@course/db";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { deletePage, savePage } from "~/server/wiki/pages";
import { rawText } from "~/server/wiki/read";
import { seedLessonPagesAtStart } from "~/server/wiki/lesson-startup";
import { ensureLessonPages, lessonTimeline, SYSTEM_ACTOR } from "~/server/wiki/lessons";
import { eachBackend } from "./support/backends";

// The repository's own course content (the demo lessons carry wiki_file and notes_file).
const course = await loadCourse(path.join(findRepoRoot(), "content"));
const lesson1 = course.lessons.find((l) => l.slug === "lesson-1")!;
const reader = { id: null, role: null };

eachBackend((get: () => Database) => {
  describe("lessons and the wiki as one", () => {
    it("creates each lesson's wiki and notes pages once, with a starter made from the lesson, and never overwrites them", async () => {
      const { prisma } = get();
      await seedLessonPagesAtStart(prisma);
      const keys = (await prisma.wikiPage.findMany({ select: { key: true }, orderBy: { key: "asc" } })).map((p) => p.key);
      expect(keys).toEqual(["Lesson_0", "Lesson_0_Notes", "Lesson_1", "Lesson_1_Notes"]);

      const starter = await rawText(prisma, "Lesson 1", reader);
      expect(starter).toContain("[Lesson 1: Recognizing cats and dogs](/lessons/lesson-1)");
      expect(starter).toContain("- @1:23 Teaching");
      expect(starter).toContain("- @22:58 Suggestions");
      expect(starter).toContain("- Notebook: [lesson-1.ipynb](/notebooks/lesson-1.ipynb)");
      expect(starter).toMatch(/- Homework: \[[^\]]+\]\/homework\/|- Homework: \[[^\]]+\]\(\/homework\/[a-z0-9-]+\)/);
      expect(starter).toContain("- Forum thread: [lesson-1-discussion](/forum/l/lesson-1-discussion)");
      expect(starter).toContain("- Notes: [[Lesson 1 Notes]]");
      // The setup lesson has no video: no timeline.
      expect(await rawText(prisma, "Lesson 0", reader)).not.toContain("## Timeline");
      const first = await prisma.revision.findFirstOrThrow({ where: { document: { wikiPage: { key: "Lesson_1" } } } });
      expect(first).toMatchObject({ number: 1, authorId: null, authorName: SYSTEM_ACTOR.name });

      // A student's edit stands through any number of starts; a deleted page stays deleted.
      const u = await prisma.user.create({ data: { email: "ann@example.com", name: "ann" } });
      const ann = { id: u.id, name: "ann", role: "student" as const };
      expect((await savePage(prisma, { title: "Lesson 1", body: "Mine now.", baseRevision: 1, author: ann })).status).toBe("saved");
      const admin = await prisma.user.create({ data: { email: "root@example.com", name: "root", role: "admin" } });
      await deletePage(prisma, { title: "Lesson 0 Notes", reason: "spam", actor: { id: admin.id, name: "root", role: "admin" } });
      await seedLessonPagesAtStart(prisma);
      expect(await ensureLessonPages(prisma, course.lessons, () => ({ notebooks: [], homework: [] }))).toEqual([]);
      expect(await rawText(prisma, "Lesson 1", reader)).toBe("Mine now.");
      expect(await prisma.wikiPage.findUniqueOrThrow({ where: { key: "Lesson_0_Notes" } })).toMatchObject({ deletedAt: expect.any(Date) });
      expect(await prisma.revision.count({ where: { document: { wikiPage: { key: "Lesson_1" } } } })).toBe(2);
    });

    it("reads the lesson's timeline from its wiki page: time links to this lesson with their lines, in time order", async () => {
      const { prisma } = get();
      expect(await lessonTimeline(prisma, lesson1, course.lessons)).toMatchObject({ revision: 0, items: [], page: "/wiki/Lesson_1" });
      await ensureLessonPages(prisma, [lesson1], () => ({ notebooks: [], homework: [] }));
      const seeded = await lessonTimeline(prisma, lesson1, course.lessons);
      expect(seeded.revision).toBe(1);
      expect(seeded.items.map((i) => [i.label, i.text])).toEqual([
        ["0:00", "Introduction"],
        ["1:23", "Teaching"],
        ["2:17", "Paul Lockhart"],
        ["4:40", "The New Electricity"],
        ["9:00", "Intuition"],
        ["22:58", "Suggestions"],
      ]);
      // Polling with the revision it has: nothing rendered, nothing sent.
      expect(await lessonTimeline(prisma, lesson1, course.lessons, 1)).toMatchObject({ revision: 1, unchanged: true, items: [] });

      const u = await prisma.user.create({ data: { email: "bo@example.com", name: "bo" } });
      const body = (await rawText(prisma, "Lesson 1", reader)).replace(
        "- @4:40 The New Electricity",
        "- @4:40 The New Electricity\n- [[Lesson 1@3:05]] **Why** pretrained models work\n- [[Lesson 0@1:00]] another lesson: not on this timeline\n\n```\n@7:00 in code is not a link\n```",
      );
      expect((await savePage(prisma, { title: "Lesson_1", body, baseRevision: 1, author: { id: u.id, name: "bo", role: "student" } })).status).toBe("saved");
      const live = await lessonTimeline(prisma, lesson1, course.lessons, 1);
      expect(live.unchanged).toBe(false);
      expect(live.revision).toBe(2);
      expect(live.items.find((i) => i.seconds === 185)).toEqual({ seconds: 185, label: "3:05", text: "Why pretrained models work", href: "/lessons/lesson-1?t=185" });
      expect(live.items.map((i) => i.seconds)).toEqual([0, 83, 137, 185, 280, 540, 1378]);
    });
  });
});
