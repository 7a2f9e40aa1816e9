import { loadCourse, loadForumCategories } from "@course/content";
import { findRepoRoot, type Database, type PrismaClient, type Role } from "@course/db";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DomainError } from "~/server/errors";
import { syncForumCategories } from "~/server/forum/categories";
import type { ForumActor } from "~/server/forum/permissions";
import { deletePost, editPost, replyToTopic, restorePost, type EditPostResult } from "~/server/forum/posts";
import { categoriesOverview, listTopics, postDiff, postForEdit, postHistory, postsWindow, viewTopic, windowRange } from "~/server/forum/read";
import { createTopic, deleteTopic, restoreTopic, setTopicState, updateTopic } from "~/server/forum/topics";
import { search } from "~/server/search";
import { eachBackend } from "./support/backends";

const root = findRepoRoot();
const course = await loadCourse(path.join(root, "content"));
const categories = await loadForumCategories(path.join(root, "content"), course.lessons);

async function member(prisma: PrismaClient, name: string, role: Role = "student"): Promise<ForumActor> {
  const u = await prisma.user.create({ data: { email: `${name}@example.com`, name, role } });
  return { id: u.id, name, role };
}
const refusal = (p: Promise<unknown>) =>
  p.then(
    () => "resolved",
    (e: unknown) => (e instanceof DomainError ? e.code : String(e)),
  );
const saved = (r: EditPostResult) => {
  if (r.status !== "saved") throw new Error(`expected saved, got ${JSON.stringify(r)}`);
  return r;
};
const anon = { id: null, role: null };
const as = (a: ForumActor) => ({ id: a.id, role: a.role });

describe("post windows", () => {
  it("covers ~limit numbers after, before or around a post, within 1..highest", () => {
    expect(windowRange({ around: 1 }, 10_000, 20)).toEqual({ first: 1, last: 20 });
    expect(windowRange({ around: 5000 }, 10_000, 20)).toEqual({ first: 4991, last: 5010 });
    expect(windowRange({ around: 10_000 }, 10_000, 20)).toEqual({ first: 9981, last: 10_000 });
    expect(windowRange({ after: 20 }, 10_000, 20)).toEqual({ first: 21, last: 40 });
    expect(windowRange({ after: 9995 }, 10_000, 20)).toEqual({ first: 9996, last: 10_000 });
    expect(windowRange({ before: 21 }, 10_000, 20)).toEqual({ first: 1, last: 20 });
    expect(windowRange({ before: 5 }, 10_000, 20)).toEqual({ first: 1, last: 4 });
    expect(windowRange({ around: 3 }, 5, 20)).toEqual({ first: 1, last: 5 });
  });
});

eachBackend((get: () => Database, backend: string) => {
  async function setUp() {
    const { prisma } = get();
    await syncForumCategories(prisma, categories);
    const ann = await member(prisma, "ann");
    const bob = await member(prisma, "bob");
    const grace = await member(prisma, "grace", "grader");
    return { prisma, ann, bob, grace };
  }

  describe("categories", () => {
    it("syncs categories from the content: one per lesson plus the file's, removed ones hidden and brought back", async () => {
      const { prisma, ann } = await setUp();
      const overview = await categoriesOverview(prisma, anon);
      expect(overview.map((c) => c.slug)).toEqual(["general", ...course.lessons.map((l) => l.slug), "homework-help"]);
      expect(overview.find((c) => c.slug === "lesson-1")).toMatchObject({ name: "Lesson 1: Recognizing cats and dogs", lessonSlug: "lesson-1", topicCount: 0, latest: null });

      await createTopic(prisma, { categorySlug: "general", title: "Hello everyone", body: "Hi!", author: ann });
      const again = await syncForumCategories(prisma, categories.filter((c) => c.slug !== "general"));
      expect(again).toEqual({ created: [], removed: ["general"] });
      expect((await categoriesOverview(prisma, anon)).map((c) => c.slug)).not.toContain("general");
      expect(await refusal(createTopic(prisma, { categorySlug: "general", title: "Another one", body: "x", author: ann }))).toBe("NOT_FOUND");
      await syncForumCategories(prisma, categories);
      expect((await categoriesOverview(prisma, anon)).find((c) => c.slug === "general")).toMatchObject({ topicCount: 1, latest: { title: "Hello everyone" } });
    });
  });

  describe("topics and posts", () => {
    it("creates a topic with its first post, replies (to a post), and lists topics pinned first, then by activity", async () => {
      const { prisma, ann, bob, grace } = await setUp();
      const first = await createTopic(prisma, { categorySlug: "homework-help", title: "  How do I   submit? ", body: "I am **stuck**.\r\n", author: ann });
      expect(first.url).toMatch(/^\/forum\/t\/[^/]+\/how-do-i-submit$/);
      const reply = await replyToTopic(prisma, { topicId: first.id, body: "Upload the notebook, @ann.", author: bob, replyToNumber: 1 });
      expect(reply).toMatchObject({ number: 2, url: `${first.url}?post=2#p2` });
      await expect(replyToTopic(prisma, { topicId: first.id, body: "To the future", author: bob, replyToNumber: 3 })).rejects.toThrow(/no post 3/);

      const { topic, window } = await viewTopic(prisma, first.id, as(bob));
      expect(topic).toMatchObject({ title: "How do I submit?", highestPostNumber: 2, replyCount: 1, author: { name: "ann" }, can: { reply: true, moderate: false, editTitle: false } });
      expect(window.posts.map((p) => [p.number, p.author.name, p.replyToNumber])).toEqual([
        [1, "ann", null],
        [2, "bob", 1],
      ]);
      expect(window.posts[0]!.cooked).toBe("<p>I am <strong>stuck</strong>.</p>");
      expect(window.posts[0]!.replyCount).toBe(1);
      // Usernames are chosen on first post; mentions of existing users link to their page.
      expect(window.posts[1]!.cooked).toContain('<a href="/forum/u/ann" class="mention">@ann</a>');
      expect(window.posts[1]!.can).toEqual({ edit: true, delete: true, restore: false, flag: false, hide: false });
      expect(window.posts[0]!.can).toEqual({ edit: false, delete: false, restore: false, flag: false, hide: false });

      // The topic's author hears of the reply (once: it mentions her too, and a mention says more); the replier does
      // not hear of their own.
      const notes = await prisma.notification.findMany({ where: { kind: { startsWith: "forum-" } }, select: { userId: true, kind: true, title: true, link: true } });
      expect(notes).toEqual([{ userId: ann.id, kind: "forum-mention", title: 'bob mentioned you in "How do I submit?"', link: `${first.url}?post=2#p2` }]);

      const older = await createTopic(prisma, { categorySlug: "homework-help", title: "Older question", body: "Old.", author: bob });
      const newer = await createTopic(prisma, { categorySlug: "homework-help", title: "Newer question", body: "New.", author: bob });
      await replyToTopic(prisma, { topicId: older.id, body: "A bump.", author: ann });
      await setTopicState(prisma, { topicId: newer.id, state: "pinned", on: true, actor: grace });
      const list = await listTopics(prisma, { categorySlug: "homework-help" }, anon);
      expect(list.topics.map((t) => [t.title, t.pinned])).toEqual([
        ["Newer question", true],
        ["Older question", false],
        ["How do I submit?", false],
      ]);
      const paged = await listTopics(prisma, { categorySlug: "homework-help", limit: 1 }, anon);
      expect(paged.topics.map((t) => t.title)).toEqual(["Newer question", "Older question"]);
      const next = await listTopics(prisma, { categorySlug: "homework-help", limit: 1, before: paged.next! }, anon);
      expect(next.topics.map((t) => t.title)).toEqual(["How do I submit?"]);
    });

    it(`numbers 50 concurrent replies 2..51 without gaps or duplicates (${backend})`, async () => {
      const { prisma, ann, bob } = await setUp();
      const topic = await createTopic(prisma, { categorySlug: "general", title: "Busy topic", body: "Go!", author: ann });
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) => replyToTopic(prisma, { topicId: topic.id, body: `Reply ${i}`, author: i % 2 ? ann : bob })));
      expect(results.map((r) => r.number).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 2));
      const numbers = (await prisma.forumPost.findMany({ where: { topicId: topic.id }, orderBy: { number: "asc" }, select: { number: true } })).map((p) => p.number);
      expect(numbers).toEqual(Array.from({ length: 51 }, (_, i) => i + 1));
      expect(await prisma.forumTopic.findUniqueOrThrow({ where: { id: topic.id }, select: { highestPostNumber: true, replyCount: true } })).toEqual({ highestPostNumber: 51, replyCount: 50 });
    });

    it("edits through revisions (merged, or a conflict that keeps the text), with history for everyone", async () => {
      const { prisma, ann, bob, grace } = await setUp();
      const topic = await createTopic(prisma, { categorySlug: "general", title: "Edit me please", body: "one\ntwo\nthree\n", author: ann });
      const post = (await viewTopic(prisma, topic.id, as(ann))).window.posts[0]!;
      expect(await refusal(editPost(prisma, { postId: post.id, body: "bob was here", baseRevision: 1, actor: bob }))).toBe("FORBIDDEN");
      saved(await editPost(prisma, { postId: post.id, body: "ONE\ntwo\nthree\n", baseRevision: 1, summary: "caps", actor: ann }));
      // A moderator's edit from the old base merges with the author's.
      const merged = saved(await editPost(prisma, { postId: post.id, body: "one\ntwo\nTHREE\n", baseRevision: 1, actor: grace }));
      expect(merged).toMatchObject({ number: 3, merged: true });
      const conflict = await editPost(prisma, { postId: post.id, body: "uno\ntwo\nthree\n", baseRevision: 1, actor: ann });
      expect(conflict).toMatchObject({ status: "conflict", currentNumber: 3, mine: "uno\ntwo\nthree\n" });

      const shown = (await viewTopic(prisma, topic.id, anon)).window.posts[0]!;
      expect(shown).toMatchObject({ version: 3, cooked: "<p>ONE\ntwo\nTHREE</p>" });
      expect(shown.editedAt).not.toBeNull();
      const history = await postHistory(prisma, post.id, anon);
      expect(history.revisions.map((r) => [r.number, r.authorName, r.summary])).toEqual([
        [3, "grace", ""],
        [2, "ann", "caps"],
        [1, "ann", ""],
      ]);
      const diff = await postDiff(prisma, post.id, 1, 3, anon);
      expect(diff.diff).toMatchObject({ added: 2, removed: 2, identical: false });
      expect(await postForEdit(prisma, post.id, as(ann))).toMatchObject({ body: "ONE\ntwo\nTHREE\n", baseRevision: 3, canEdit: true });
      // A moderator edited someone else's post: logged.
      expect(await prisma.moderationLog.findMany({ select: { action: true, actorName: true } })).toEqual([{ action: "post.edit", actorName: "grace" }]);
    });

    it("soft-deletes and restores posts and topics; deleted text and history only for moderators and the author", async () => {
      const { prisma, ann, bob, grace } = await setUp();
      const topic = await createTopic(prisma, { categorySlug: "general", title: "Delete test topic", body: "Question?", author: ann });
      const r2 = await replyToTopic(prisma, { topicId: topic.id, body: "Spam spam spam", author: bob });
      const r3 = await replyToTopic(prisma, { topicId: topic.id, body: "Good answer", author: bob });
      expect(await refusal(deletePost(prisma, { postId: r2.id, actor: ann }))).toBe("FORBIDDEN");
      await deletePost(prisma, { postId: r2.id, actor: grace, reason: "spam" });
      const window = (await viewTopic(prisma, topic.id, anon)).window;
      expect(window.posts.map((p) => [p.number, p.deleted, p.cooked === ""])).toEqual([
        [1, false, false],
        [2, true, true],
        [3, false, false],
      ]);
      expect((await viewTopic(prisma, topic.id, as(grace))).window.posts[1]).toMatchObject({ deleted: true, cooked: "<p>Spam spam spam</p>", can: { restore: true } });
      expect((await viewTopic(prisma, topic.id, as(bob))).window.posts[1]).toMatchObject({ cooked: "<p>Spam spam spam</p>", can: { restore: false } });
      expect((await viewTopic(prisma, topic.id, anon)).topic.replyCount).toBe(1);
      expect(await refusal(postHistory(prisma, r2.id, anon))).toBe("NOT_FOUND");
      expect((await postHistory(prisma, r2.id, as(grace))).revisions).toHaveLength(1);
      expect(await refusal(restorePost(prisma, { postId: r2.id, actor: bob }))).toBe("FORBIDDEN");
      expect((await search(prisma, { q: "spam" })).total).toBe(0);
      await restorePost(prisma, { postId: r2.id, actor: grace });
      expect((await viewTopic(prisma, topic.id, anon)).topic.replyCount).toBe(2);
      expect((await search(prisma, { q: "spam" })).hits.map((h) => h.url)).toEqual([`${topic.url}?post=2#p2`]);

      // Authors delete their own replies and restore what they deleted.
      await deletePost(prisma, { postId: r3.id, actor: bob });
      await restorePost(prisma, { postId: r3.id, actor: bob });
      // The first post stands for the topic: with replies only a moderator deletes it.
      const firstPost = (await viewTopic(prisma, topic.id, as(ann))).window.posts[0]!;
      expect(await refusal(deletePost(prisma, { postId: firstPost.id, actor: ann }))).toBe("FORBIDDEN");
      expect(await deletePost(prisma, { postId: firstPost.id, actor: grace, reason: "off topic" })).toEqual({ deleted: "topic" });
      expect(await refusal(viewTopic(prisma, topic.id, as(ann)))).toBe("NOT_FOUND");
      expect((await viewTopic(prisma, topic.id, as(grace))).topic.deleted).toBe(true);
      expect((await listTopics(prisma, { categorySlug: "general" }, as(grace))).topics).toEqual([]);
      expect((await search(prisma, { q: "good answer" })).total).toBe(0);
      await restoreTopic(prisma, { topicId: topic.id, actor: grace });
      expect((await search(prisma, { q: "good answer" })).total).toBe(1);

      // A topic without replies: its author may delete it (and restore it).
      const lonely = await createTopic(prisma, { categorySlug: "general", title: "Nobody answers", body: "Echo?", author: bob });
      await deleteTopic(prisma, { topicId: lonely.id, actor: bob });
      await restoreTopic(prisma, { topicId: lonely.id, actor: bob });
      expect((await prisma.moderationLog.findMany({ orderBy: { createdAt: "asc" }, select: { action: true } })).map((l) => l.action)).toEqual(["post.delete", "post.restore", "topic.delete", "topic.restore"]);
    });

    it("topic states: closed takes replies from moderators only, archived from nobody, unlisted leaves lists and search", async () => {
      const { prisma, ann, bob, grace } = await setUp();
      const topic = await createTopic(prisma, { categorySlug: "general", title: "Stateful topic", body: "Findable words here", author: ann });
      expect(await refusal(setTopicState(prisma, { topicId: topic.id, state: "closed", on: true, actor: ann }))).toBe("FORBIDDEN");
      await setTopicState(prisma, { topicId: topic.id, state: "closed", on: true, actor: grace, reason: "answered" });
      expect(await refusal(replyToTopic(prisma, { topicId: topic.id, body: "late", author: bob }))).toBe("FORBIDDEN");
      expect((await viewTopic(prisma, topic.id, as(bob))).topic.can.reply).toBe(false);
      await replyToTopic(prisma, { topicId: topic.id, body: "Closing note", author: grace });
      await setTopicState(prisma, { topicId: topic.id, state: "archived", on: true, actor: grace });
      expect(await refusal(replyToTopic(prisma, { topicId: topic.id, body: "mod late", author: grace }))).toBe("FORBIDDEN");
      const post = (await viewTopic(prisma, topic.id, as(ann))).window.posts[0]!;
      expect(post.can.edit).toBe(false);
      expect(await refusal(editPost(prisma, { postId: post.id, body: "changed", baseRevision: 1, actor: ann }))).toBe("FORBIDDEN");

      expect((await search(prisma, { q: "findable" })).total).toBe(1);
      await setTopicState(prisma, { topicId: topic.id, state: "unlisted", on: true, actor: grace });
      expect((await search(prisma, { q: "findable" })).total).toBe(0);
      expect((await listTopics(prisma, { categorySlug: "general" }, anon)).topics).toEqual([]);
      expect((await listTopics(prisma, { categorySlug: "general" }, as(grace))).topics.map((t) => t.unlisted)).toEqual([true]);
      expect((await viewTopic(prisma, topic.id, anon)).topic.unlisted).toBe(true);
      expect((await categoriesOverview(prisma, anon)).find((c) => c.slug === "general")!.topicCount).toBe(0);
      await setTopicState(prisma, { topicId: topic.id, state: "unlisted", on: false, actor: grace });
      expect((await search(prisma, { q: "findable" })).hits[0]).toMatchObject({ kind: "post", title: "Stateful topic", url: `${topic.url}?post=1#p1` });
      expect((await prisma.moderationLog.findMany({ orderBy: { createdAt: "asc" }, select: { action: true } })).map((l) => l.action)).toEqual(["topic.close", "topic.archive", "topic.unlist", "topic.list"]);
    });

    it("retitles (author or moderator; search follows) and moves topics (moderators)", async () => {
      const { prisma, ann, bob, grace } = await setUp();
      const topic = await createTopic(prisma, { categorySlug: "general", title: "Typo in titel", body: "Body text", author: ann });
      expect(await refusal(updateTopic(prisma, { topicId: topic.id, title: "Bob's title", actor: bob }))).toBe("FORBIDDEN");
      const renamed = await updateTopic(prisma, { topicId: topic.id, title: "Typo in title", actor: ann });
      expect(renamed.url).toBe(`/forum/t/${topic.id}/typo-in-title`);
      expect((await search(prisma, { q: "title" })).hits[0]!.url).toBe(`/forum/t/${topic.id}/typo-in-title?post=1#p1`);
      expect(await refusal(updateTopic(prisma, { topicId: topic.id, categorySlug: "homework-help", actor: ann }))).toBe("FORBIDDEN");
      await updateTopic(prisma, { topicId: topic.id, categorySlug: "homework-help", actor: grace });
      expect((await viewTopic(prisma, topic.id, anon)).topic.category.slug).toBe("homework-help");
    });

    it("refuses empty posts, short titles and silenced members with clear messages", async () => {
      const { prisma, ann } = await setUp();
      await expect(createTopic(prisma, { categorySlug: "general", title: "Hi", body: "x", author: ann })).rejects.toThrow(/at least 5 characters/);
      await expect(createTopic(prisma, { categorySlug: "general", title: "Fine title", body: "  \n", author: ann })).rejects.toThrow(/needs some text/);
      await prisma.user.update({ where: { id: ann.id }, data: { silencedUntil: new Date(Date.now() + 3_600_000), silenceReason: "cool down" } });
      await expect(createTopic(prisma, { categorySlug: "general", title: "Fine title", body: "text", author: ann })).rejects.toThrow(/silenced until .* Reason: cool down/);
    });
  });

  describe("long topics", () => {
    it("serves a 10,000-post topic ~20 posts at a time: around a post, after, before, from a date", async () => {
      const { prisma, ann } = await setUp();
      const topic = await createTopic(prisma, { categorySlug: "general", title: "The longest thread", body: "Post one", author: ann });
      // 9,999 replies straight in SQL (the write path is tested above): a minute apart from 2026-01-01.
      await prisma.$executeRaw`
        INSERT INTO "ForumPost" (id, "topicId", number, "authorId", raw, cooked, "createdAt")
        SELECT 'bulk-' || n, ${topic.id}, n, ${ann.id}, 'Reply ' || n, '<p>Reply ' || n || '</p>', timestamp '2026-01-01' + (n || ' minutes')::interval
        FROM generate_series(2, 10000) AS n`;
      await prisma.forumTopic.update({ where: { id: topic.id }, data: { highestPostNumber: 10_000, replyCount: 9_999 } });

      const started = performance.now();
      const view = await viewTopic(prisma, topic.id, anon, { post: 5000 });
      const elapsed = performance.now() - started;
      expect(view.window.posts.map((p) => p.number)).toEqual(Array.from({ length: 20 }, (_, i) => 4991 + i));
      expect(view.topic.highestPostNumber).toBe(10_000);
      expect(JSON.stringify(view).length).toBeLessThan(40_000);
      expect(elapsed).toBeLessThan(5_000);

      const after = await postsWindow(prisma, { topicId: topic.id, anchor: { after: 5010 } }, anon);
      expect([after.first, after.last, after.posts.length]).toEqual([5011, 5030, 20]);
      const before = await postsWindow(prisma, { topicId: topic.id, anchor: { before: 4991 } }, anon);
      expect([before.first, before.last, before.posts.length]).toEqual([4971, 4990, 20]);
      const end = await postsWindow(prisma, { topicId: topic.id, anchor: { around: 10_000 } }, anon);
      expect(end.posts.at(-1)!.number).toBe(10_000);
      // Post n was written n minutes after midnight: 2026-01-02 00:00 is post 1440.
      const byDate = await postsWindow(prisma, { topicId: topic.id, anchor: { date: new Date("2026-01-02T00:00:00Z") } }, anon);
      expect(byDate.target).toBe(1440);
      expect(byDate.posts.map((p) => p.number)).toContain(1440);
      expect(byDate.posts).toHaveLength(20);
      // A reply still takes the next number.
      expect((await replyToTopic(prisma, { topicId: topic.id, body: "The 10,001st", author: ann })).number).toBe(10_001);
    });
  });
});
