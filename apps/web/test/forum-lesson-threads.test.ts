import { loadCourse } from "@course/content";
import { findRepoRoot, type Database } from "@course/db";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { lessonLinks } from "~/components/lesson/lesson-links";
import { lessonThreadKey, lessonThreadSummary, lessonThreadUrl } from "~/server/forum/lesson-threads";
import { deletePost, editPost, replyToTopic } from "~/server/forum/posts";
import { postHistory, viewTopic } from "~/server/forum/read";
import { setUpForumAtStart } from "~/server/forum/startup";
import { deleteTopic } from "~/server/forum/topics";
import { seedLessonPagesAtStart } from "~/server/wiki/lesson-startup";
import { eachBackend } from "./support/backends";

const course = await loadCourse(path.join(findRepoRoot(), "content"));
const lesson1 = course.lessons.find((l) => l.slug === "lesson-1")!;

eachBackend((get: () => Database) => {
  describe("lesson threads", () => {
    it("creates each lesson's thread once on start, in its category, with a wiki first post seeded from the lesson", async () => {
      const { prisma } = get();
      await seedLessonPagesAtStart(prisma);
      await setUpForumAtStart(prisma);
      const topics = await prisma.forumTopic.findMany({ select: { key: true, slug: true, title: true, category: { select: { lessonSlug: true } } }, orderBy: { key: "asc" } });
      expect(topics.map((t) => [t.key, t.category.lessonSlug])).toEqual(
        course.lessons.map((l) => [lessonThreadKey(l.forumThread), l.slug]).sort((a, b) => a[0]!.localeCompare(b[0]!)),
      );
      const url = (await lessonThreadUrl(prisma, lesson1.forumThread))!;
      expect(url).toMatch(/^\/forum\/t\/[^/]+\/lesson-1-discussion$/);
      const topicId = url.split("/")[3]!;
      const { topic, window } = await viewTopic(prisma, topicId, { id: null, role: null });
      expect(topic.title).toBe("Lesson 1 discussion: Recognizing cats and dogs");
      const first = window.posts[0]!;
      expect(first).toMatchObject({ number: 1, wiki: true, author: { id: null, name: "Course platform" } });
      // Chapters as video-time links into the lesson; the wiki and notes pages exist (blue links); notebook, homework.
      expect(first.cooked).toContain('href="/lessons/lesson-1?t=83"');
      expect(first.cooked).toContain("Teaching");
      expect(first.cooked).toMatch(/<a href="\/wiki\/Lesson_1" class="wiki-link"/);
      expect(first.cooked).toMatch(/<a href="\/wiki\/Lesson_1_Notes" class="wiki-link"/);
      expect(first.cooked).toContain('href="/notebooks/lesson-1.ipynb"');
      expect(first.cooked).toMatch(/href="\/homework\/[a-z0-9-]+"/);

      // A second start (or a second instance) creates nothing, and never touches an edited or deleted thread.
      // Wiki posts are edited by members from trust level 1 (forum-trust.test.ts refuses level 0).
      const ann = await prisma.user.create({ data: { email: "ann@example.com", name: "ann", trustLevel: 1 } });
      const edit = await editPost(prisma, { postId: first.id, body: "Improved by ann\n", baseRevision: 1, actor: { id: ann.id, name: "ann", role: "student" } });
      expect(edit.status).toBe("saved");
      await Promise.all([setUpForumAtStart(prisma), setUpForumAtStart(prisma)]);
      expect(await prisma.forumTopic.count()).toBe(course.lessons.length);
      expect((await viewTopic(prisma, topicId, { id: null, role: null })).window.posts[0]!.cooked).toBe("<p>Improved by ann</p>");
      expect((await postHistory(prisma, first.id, { id: null, role: null })).revisions.map((r) => r.authorName)).toEqual(["ann", "Course platform"]);
      const grace = await prisma.user.create({ data: { email: "grace@example.com", name: "grace", role: "grader" } });
      await deleteTopic(prisma, { topicId, actor: { id: grace.id, name: "grace", role: "grader" } });
      await setUpForumAtStart(prisma);
      expect(await prisma.forumTopic.count()).toBe(course.lessons.length);
      expect(await lessonThreadUrl(prisma, lesson1.forumThread)).toBeNull();
    });

    it("lets any member edit the wiki post (not others' ordinary posts), and summarises the thread for the lesson page", async () => {
      const { prisma } = get();
      await setUpForumAtStart(prisma);
      const topicId = (await lessonThreadUrl(prisma, lesson1.forumThread))!.split("/")[3]!;
      const ann = await prisma.user.create({ data: { email: "ann@example.com", name: "ann", trustLevel: 1 } });
      const bob = await prisma.user.create({ data: { email: "bob@example.com", name: "bob", trustLevel: 1 } });
      const annActor = { id: ann.id, name: "ann", role: "student" as const };
      const bobActor = { id: bob.id, name: "bob", role: "student" as const };
      const first = (await viewTopic(prisma, topicId, { id: bob.id, role: "student", trustLevel: 1 })).window.posts[0]!;
      expect(first.can.edit).toBe(true);
      expect((await viewTopic(prisma, topicId, { id: bob.id, role: "student", trustLevel: 0 })).window.posts[0]!.can.edit).toBe(false);
      expect(first.can.delete).toBe(false);
      const reply = await replyToTopic(prisma, { topicId, body: "What does @4:40 mean?", author: annActor });
      const view = await viewTopic(prisma, topicId, { id: bob.id, role: "student", trustLevel: 1 });
      expect(view.window.posts[1]!.can.edit).toBe(false);
      // `@4:40` in a lesson's thread is a time link into that lesson.
      expect(view.window.posts[1]!.cooked).toContain('href="/lessons/lesson-1?t=280"');
      await expect(editPost(prisma, { postId: reply.id, body: "bob's", baseRevision: 1, actor: bobActor })).rejects.toThrow(/author and moderators/);
      await replyToTopic(prisma, { topicId, body: "Second reply", author: bobActor });
      const third = await replyToTopic(prisma, { topicId, body: "Third reply", author: bobActor });
      await deletePost(prisma, { postId: third.id, actor: bobActor });

      const summary = (await lessonThreadSummary(prisma, lesson1.forumThread))!;
      expect(summary).toMatchObject({ replyCount: 2, title: "Lesson 1 discussion: Recognizing cats and dogs" });
      expect(summary.latest.map((r) => [r.number, r.author, r.excerpt])).toEqual([
        [3, "bob", "Second reply"],
        [2, "ann", "What does 4:40 mean?"],
      ]);
      expect(summary.latest[0]!.url).toBe(`${summary.url}?post=3#p3`);
    });
  });
});

describe("lessonLinks", () => {
  it("links the lesson's forum thread by its name", () => {
    expect(lessonLinks(lesson1).find((l) => l.label === "Forum thread")).toEqual({ label: "Forum thread", name: "lesson-1-discussion", href: "/forum/l/lesson-1-discussion" });
  });
});
