import { loadCourse } from "@course/content";
import { findRepoRoot, type Database } from "@course/db";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { askMomentPath } from "~/lib/ask-moment";
import { askPrefill, askQuery, parseAskMoment } from "~/server/forum/ask";
import { lessonThreadUrl } from "~/server/forum/lesson-threads";
import { replyToTopic } from "~/server/forum/posts";
import { viewTopic } from "~/server/forum/read";
import { setUpForumAtStart } from "~/server/forum/startup";
import { discussWikiPage, wikiDiscussionKey, wikiDiscussionUrl } from "~/server/forum/wiki-discussion";
import { promotePostToNotes } from "~/server/forum/promote";
import { createTopic } from "~/server/forum/topics";
import { seedLessonPagesAtStart } from "~/server/wiki/lesson-startup";
import { pageHistory, viewPage } from "~/server/wiki/read";
import { savePage } from "~/server/wiki/pages";
import { eachBackend } from "./support/backends";

const course = await loadCourse(path.join(findRepoRoot(), "content"));
const lesson1 = course.lessons.find((l) => l.slug === "lesson-1")!;

describe("ask about this moment: the link and its prefill", () => {
  it("carries the second and the transcript line, validated, into a reply with a time link and a quote", () => {
    const href = askMomentPath("lesson-1-discussion", 280.7, "  So the  model\nlearns <script>alert(1)</script>  ");
    expect(href).toBe("/forum/l/lesson-1-discussion?ask=1&t=280&quote=So+the+model+learns+%3Cscript%3Ealert%281%29%3C%2Fscript%3E");
    const query = Object.fromEntries(new URL(href, "http://x").searchParams);
    const ask = parseAskMoment(query)!;
    expect(ask).toEqual({ seconds: 280, quote: "So the model learns <script>alert(1)</script>" });
    expect(askPrefill(ask, 1)).toBe("At [[Lesson 1@4:40]]:\n\n> So the model learns <script>alert(1)</script>\n\n");
    expect(askPrefill({ seconds: 3725 }, 2)).toBe("At [[Lesson 2@1:02:05]]: ");
    expect(askQuery(ask)).toBe("ask=1&t=280&quote=So+the+model+learns+%3Cscript%3Ealert%281%29%3C%2Fscript%3E");
  });

  it("ignores a malformed or missing ask", () => {
    expect(parseAskMoment({})).toBeNull();
    expect(parseAskMoment({ ask: "1", t: "-3" })).toBeNull();
    expect(parseAskMoment({ ask: "1", t: "1e9" })).toBeNull();
    expect(parseAskMoment({ ask: "1", t: "abc" })).toBeNull();
    expect(parseAskMoment({ ask: "0", t: "10" })).toBeNull();
    expect(parseAskMoment({ ask: "1", t: "10", quote: "x".repeat(5000) })).toBeNull();
    expect(parseAskMoment({ ask: ["1", "2"], t: "10", quote: "a\u0000b" })).toEqual({ seconds: 10, quote: "a b" });
  });
});

eachBackend((get: () => Database) => {
  describe("lesson forum: asks and wiki discussions", () => {
    it("posts an ask's prefill as a reply whose time link leads back to the lesson at that second, sanitized", async () => {
      const { prisma } = get();
      await seedLessonPagesAtStart(prisma);
      await setUpForumAtStart(prisma);
      const ann = await prisma.user.create({ data: { email: "ann@example.com", name: "ann" } });
      const topicId = (await lessonThreadUrl(prisma, lesson1.forumThread))!.split("/")[3]!;
      const body = askPrefill({ seconds: 280, quote: "Look <img src=x onerror=alert(1)> here" }, lesson1.lesson) + "Why?";
      const reply = await replyToTopic(prisma, { topicId, body, author: { id: ann.id, name: "ann", role: "student" } });
      const post = (await viewTopic(prisma, topicId, { id: null, role: null }, { post: reply.number })).window.posts.find((p) => p.number === reply.number)!;
      expect(post.cooked).toContain('href="/lessons/lesson-1?t=280"');
      expect(post.cooked).toContain('data-video-time="280"');
      expect(post.cooked).toContain("<blockquote>");
      expect(post.cooked).not.toContain("onerror");
    });

    it("creates a wiki page's discussion topic with its first post only, in the lesson's category or general", async () => {
      const { prisma } = get();
      await seedLessonPagesAtStart(prisma);
      await setUpForumAtStart(prisma);
      const ann = await prisma.user.create({ data: { email: "ann@example.com", name: "ann" } });
      const bob = await prisma.user.create({ data: { email: "bob@example.com", name: "bob" } });
      const asAnn = { id: ann.id, name: "ann", role: "student" as const };
      const topicsBefore = await prisma.forumTopic.count();
      // Looking at the tab makes nothing.
      expect(await wikiDiscussionUrl(prisma, "Lesson 1 Notes")).toBeNull();
      expect(await prisma.forumTopic.count()).toBe(topicsBefore);

      const first = await discussWikiPage(prisma, { title: "Lesson 1 Notes", body: "Is the second section right?", author: asAnn, lessons: course.lessons });
      expect(first.number).toBe(1);
      const page = (await prisma.wikiPage.findUnique({ where: { key: "Lesson_1_Notes" }, select: { id: true } }))!;
      const topic = (await prisma.forumTopic.findUnique({ where: { key: wikiDiscussionKey(page.id) }, select: { id: true, title: true, category: { select: { lessonSlug: true } } } }))!;
      expect(topic).toMatchObject({ title: "Wiki: Lesson 1 Notes", category: { lessonSlug: "lesson-1" } });
      expect(await wikiDiscussionUrl(prisma, "Lesson 1 Notes")).toBe(first.url);

      // Later posts (and racing first posts) are replies in the same topic.
      const [a, b] = await Promise.all([
        discussWikiPage(prisma, { title: "Lesson_1_Notes", body: "Yes.", author: { id: bob.id, name: "bob", role: "student" }, lessons: course.lessons }),
        discussWikiPage(prisma, { title: "Lesson 1 Notes", body: "Thanks.", author: asAnn, lessons: course.lessons }),
      ]);
      expect([a.number, b.number].sort()).toEqual([2, 3]);
      expect(await prisma.forumTopic.count()).toBe(topicsBefore + 1);

      // A page of no lesson is discussed in "general"; a page that does not exist cannot be.
      await savePage(prisma, { title: "Glossary", body: "Words.\n", baseRevision: 0, author: asAnn });
      await discussWikiPage(prisma, { title: "Glossary", body: "Add epoch?", author: asAnn, lessons: course.lessons });
      const glossary = (await prisma.forumTopic.findFirst({ where: { title: "Wiki: Glossary" }, select: { category: { select: { slug: true } } } }))!;
      expect(glossary.category.slug).toBe("general");
      await expect(discussWikiPage(prisma, { title: "No such page", body: "Hm", author: asAnn, lessons: course.lessons })).rejects.toMatchObject({ code: "NOT_FOUND" });
    });
  });
});

eachBackend((get: () => Database) => {
  describe("add to lesson notes", () => {
    it("appends a lesson thread's post to the notes page as an attributed revision, merged over edits, for graders and the author", async () => {
      const { prisma } = get();
      await seedLessonPagesAtStart(prisma);
      await setUpForumAtStart(prisma);
      const ann = await prisma.user.create({ data: { email: "ann@example.com", name: "ann", username: "ann" } });
      const bob = await prisma.user.create({ data: { email: "bob@example.com", name: "bob", username: "bob" } });
      const grace = await prisma.user.create({ data: { email: "grace@example.com", name: "grace", role: "grader" } });
      const asAnn = { id: ann.id, name: "ann", role: "student" as const };
      const topicId = (await lessonThreadUrl(prisma, lesson1.forumThread))!.split("/")[3]!;
      const reply = await replyToTopic(prisma, { topicId, body: "Tip: normalise the images first.", author: asAnn });

      await expect(promotePostToNotes(prisma, { postId: reply.id, actor: { id: bob.id, name: "bob", role: "student" }, lessons: course.lessons })).rejects.toMatchObject({ code: "FORBIDDEN" });
      const notes = lesson1.notesFile;
      const before = await viewPage(prisma, notes, { id: null, role: null });
      const saved = await promotePostToNotes(prisma, { postId: reply.id, actor: { id: grace.id, name: "grace", role: "grader" }, lessons: course.lessons });
      expect(saved.number).toBe(before.number + 1);
      const after = await viewPage(prisma, notes, { id: null, role: null });
      expect(after.body.startsWith(before.body.trimEnd())).toBe(true);
      expect(after.body).toContain(`*From [forum post #${reply.number}](${reply.url}) by @ann:*\n\nTip: normalise the images first.\n`);
      const history = await pageHistory(prisma, notes, { id: null, role: null });
      expect(history.revisions[0]).toMatchObject({ summary: `From forum post #${reply.number} by @ann` });

      // The author may promote their own post too; a post outside a lesson's category cannot be.
      const again = await promotePostToNotes(prisma, { postId: reply.id, actor: asAnn, lessons: course.lessons });
      expect(again.number).toBe(saved.number + 1);
      const general = await createTopic(prisma, { categorySlug: "general", title: "Off topic here", body: "Hello all", author: asAnn });
      await expect(promotePostToNotes(prisma, { postId: general.postId, actor: { id: grace.id, name: "grace", role: "grader" }, lessons: course.lessons })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    });
  });
});
