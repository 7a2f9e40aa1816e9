import { loadCourse, loadForumCategories } from "@course/content";
import { findRepoRoot, type Database, type PrismaClient, type Role } from "@course/db";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DomainError } from "~/server/errors";
import { bookmarkPost, myBookmarks, removeBookmark } from "~/server/forum/bookmarks";
import { syncForumCategories } from "~/server/forum/categories";
import { deleteDraft, getDraft, saveDraft } from "~/server/forum/drafts";
import { LIKES_PER_DAY_BY_TRUST_LEVEL, likePost, likesPerDay, unlikePost } from "~/server/forum/likes";
import { mentionSuggestions } from "~/server/forum/mentions";
import type { ForumActor } from "~/server/forum/permissions";
import { deletePost, editPost, replyToTopic } from "~/server/forum/posts";
import { listTopics } from "~/server/forum/read";
import { markSolved, solvedAnswer, unmarkSolved, UNSOLVED_TOPICS } from "~/server/forum/solved";
import { createTopic } from "~/server/forum/topics";
import { effectiveLevel, recipientsForNewPost, setCategoryLevel, setTopicLevel, topicLevel } from "~/server/forum/tracking";
import { firstUnreadPostNumber, markRead, topicReadStates, unreadByCategory } from "~/server/forum/unread";
import { topicConversation } from "~/server/forum/viewer-state";
import { eachBackend } from "./support/backends";

const root = findRepoRoot();
const course = await loadCourse(path.join(root, "content"));
const categories = await loadForumCategories(path.join(root, "content"), course.lessons);

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => "resolved",
    (e: unknown) => (e instanceof DomainError ? e.code : String(e)),
  );

describe("levels", () => {
  it("takes the user's choice, else the stronger of the forum's choice and the category's, else the category's", () => {
    expect(effectiveLevel(null, null)).toBe("normal");
    expect(effectiveLevel(null, "watching")).toBe("watching");
    expect(effectiveLevel({ notificationLevel: "normal", levelReason: "" }, "muted")).toBe("muted");
    expect(effectiveLevel({ notificationLevel: "tracking", levelReason: "replied" }, "watching")).toBe("watching");
    expect(effectiveLevel({ notificationLevel: "tracking", levelReason: "replied" }, "muted")).toBe("tracking");
    expect(effectiveLevel({ notificationLevel: "watching", levelReason: "created" }, null)).toBe("watching");
    expect(effectiveLevel({ notificationLevel: "muted", levelReason: "user" }, "watching")).toBe("muted");
    expect(effectiveLevel({ notificationLevel: "normal", levelReason: "user" }, "watching")).toBe("normal");
  });

  it("gives more likes a day at higher trust levels", () => {
    expect(LIKES_PER_DAY_BY_TRUST_LEVEL).toEqual([50, 50, 75, 100, 150]);
    expect([likesPerDay(0), likesPerDay(2), likesPerDay(4), likesPerDay(9), likesPerDay(-1)]).toEqual([50, 75, 150, 150, 50]);
  });
});

eachBackend((get: () => Database, backend: string) => {
  async function member(prisma: PrismaClient, name: string, role: Role = "student", trustLevel = 0): Promise<ForumActor> {
    const u = await prisma.user.create({ data: { email: `${name}@example.com`, name, role, trustLevel, username: name } });
    return { id: u.id, name, role };
  }
  async function setUp() {
    const { prisma } = get();
    await syncForumCategories(prisma, categories);
    const ann = await member(prisma, "ann");
    // Trust level 1: a new member (level 0) may mention only two people in a post, and bob mentions three.
    const bob = await member(prisma, "bob", "student", 1);
    const cat = await member(prisma, "cat");
    const grace = await member(prisma, "grace", "grader");
    const question = await createTopic(prisma, { categorySlug: "homework-help", title: "Why does my loss explode?", body: "It goes to NaN after epoch 2.", author: ann });
    return { prisma, ann, bob, cat, grace, question };
  }
  const notes = (prisma: PrismaClient, userId: string) =>
    prisma.notification.findMany({ where: { userId }, orderBy: { createdAt: "asc" }, select: { kind: true, title: true, link: true } });

  describe("likes", () => {
    it("likes once per member, never one's own post, and keeps the post's and topic's counts", async () => {
      const { prisma, ann, bob, cat, question } = await setUp();
      const reply = await replyToTopic(prisma, { topicId: question.id, body: "Lower the learning rate.", author: bob });
      expect(await refusal(likePost(prisma, { postId: reply.id, actor: bob }))).toBe("FORBIDDEN");
      expect(await likePost(prisma, { postId: reply.id, actor: ann })).toMatchObject({ liked: true, likeCount: 1, remaining: 49 });
      expect(await likePost(prisma, { postId: reply.id, actor: ann })).toMatchObject({ liked: true, likeCount: 1 });
      expect(await likePost(prisma, { postId: reply.id, actor: cat })).toMatchObject({ likeCount: 2 });
      expect(await unlikePost(prisma, { postId: reply.id, actor: ann })).toMatchObject({ liked: false, likeCount: 1, remaining: 50 });
      expect(await unlikePost(prisma, { postId: reply.id, actor: ann })).toMatchObject({ liked: false, likeCount: 1 });
      expect((await prisma.forumTopic.findUniqueOrThrow({ where: { id: question.id } })).likeCount).toBe(1);
      const stats = await prisma.forumUserStat.findMany({ where: { userId: { in: [bob.id, cat.id] } }, select: { userId: true, likesGiven: true, likesReceived: true } });
      expect(stats.find((s) => s.userId === bob.id)).toMatchObject({ likesReceived: 1, likesGiven: 0 });
      expect(stats.find((s) => s.userId === cat.id)).toMatchObject({ likesGiven: 1 });

      await deletePost(prisma, { postId: reply.id, actor: bob });
      expect(await refusal(likePost(prisma, { postId: reply.id, actor: ann }))).toBe("NOT_FOUND");
    });

    it("refuses likes past the day's limit for the member's trust level, counting only the last 24 hours", async () => {
      const { prisma, ann, bob, question } = await setUp();
      const limit = likesPerDay(0);
      // limit + 1 of bob's posts (made directly: the limit, not the posting, is under test)
      await prisma.forumPost.createMany({ data: Array.from({ length: limit + 1 }, (_, i) => ({ topicId: question.id, number: 100 + i, authorId: bob.id, raw: "x", cooked: "<p>x</p>" })) });
      const posts = await prisma.forumPost.findMany({ where: { topicId: question.id, number: { gte: 100 } }, orderBy: { number: "asc" }, select: { id: true } });
      const old = new Date(Date.now() - 25 * 3_600_000);
      await prisma.forumLike.createMany({ data: posts.slice(0, limit - 1).map((p) => ({ postId: p.id, userId: ann.id, createdAt: new Date() })) });
      expect(await likePost(prisma, { postId: posts[limit - 1]!.id, actor: ann })).toMatchObject({ remaining: 0 });
      const refused = await likePost(prisma, { postId: posts[limit]!.id, actor: ann }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(DomainError);
      expect((refused as DomainError).code).toBe("TOO_MANY_REQUESTS");
      expect((refused as DomainError).message).toMatch(new RegExp(`You have given your ${limit} likes for today\\. You can like again after \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC\\.`));

      // Likes older than a day no longer count; a higher trust level allows more.
      await prisma.forumLike.updateMany({ where: { userId: ann.id, postId: posts[0]!.id }, data: { createdAt: old } });
      expect(await likePost(prisma, { postId: posts[limit]!.id, actor: ann })).toMatchObject({ liked: true, remaining: 0 });
      await prisma.forumLike.deleteMany({ where: { userId: ann.id, postId: posts[limit]!.id } });
      await prisma.user.update({ where: { id: ann.id }, data: { trustLevel: 2 } });
      expect(await likePost(prisma, { postId: posts[limit]!.id, actor: ann })).toMatchObject({ liked: true, remaining: likesPerDay(2) - limit });
    });

    it(`keeps counts right under concurrent likes and unlikes (${backend})`, async () => {
      const { prisma, ann, question } = await setUp();
      const first = await prisma.forumPost.findFirstOrThrow({ where: { topicId: question.id, number: 1 }, select: { id: true } });
      const likers = await Promise.all(Array.from({ length: 12 }, (_, i) => member(prisma, `liker${i}`)));
      // Each liker likes twice at once; then half of them unlike twice at once.
      await Promise.all(likers.flatMap((l) => [likePost(prisma, { postId: first.id, actor: l }), likePost(prisma, { postId: first.id, actor: l })]));
      let post = await prisma.forumPost.findUniqueOrThrow({ where: { id: first.id }, select: { likeCount: true } });
      expect(post.likeCount).toBe(12);
      await Promise.all(likers.filter((_, i) => i % 2 === 0).flatMap((l) => [unlikePost(prisma, { postId: first.id, actor: l }), unlikePost(prisma, { postId: first.id, actor: l })]));
      post = await prisma.forumPost.findUniqueOrThrow({ where: { id: first.id }, select: { likeCount: true } });
      const rows = await prisma.forumLike.count({ where: { postId: first.id } });
      expect([post.likeCount, rows]).toEqual([6, 6]);
      expect((await prisma.forumTopic.findUniqueOrThrow({ where: { id: question.id } })).likeCount).toBe(6);
      expect((await prisma.forumUserStat.findUniqueOrThrow({ where: { userId: ann.id } })).likesReceived).toBe(6);

      // One member with 3 likes left today liking 8 posts at once gets exactly 3.
      const limit = likesPerDay(0);
      const eager = likers[0]!;
      await prisma.forumPost.createMany({ data: Array.from({ length: limit - 3 + 8 }, (_, i) => ({ topicId: question.id, number: 200 + i, authorId: ann.id, raw: "x", cooked: "<p>x</p>" })) });
      const posts = await prisma.forumPost.findMany({ where: { topicId: question.id, number: { gte: 200 } }, orderBy: { number: "asc" }, select: { id: true } });
      await prisma.forumLike.createMany({ data: posts.slice(0, limit - 3).map((p) => ({ postId: p.id, userId: eager.id })) });
      const outcomes = await Promise.all(posts.slice(limit - 3).map((p) => refusal(likePost(prisma, { postId: p.id, actor: eager }))));
      expect(outcomes.filter((o) => o === "resolved")).toHaveLength(3);
      expect(outcomes.filter((o) => o === "TOO_MANY_REQUESTS")).toHaveLength(5);
    });
  });

  describe("bookmarks", () => {
    it("bookmarks with a note, lists them newest first, and leaves out posts the member can no longer read", async () => {
      const { prisma, ann, bob, question } = await setUp();
      const reply = await replyToTopic(prisma, { topicId: question.id, body: "Try gradient clipping.", author: bob });
      const first = await prisma.forumPost.findFirstOrThrow({ where: { topicId: question.id, number: 1 }, select: { id: true } });
      await bookmarkPost(prisma, { postId: first.id, user: ann });
      await bookmarkPost(prisma, { postId: reply.id, user: ann, note: "read later" });
      await bookmarkPost(prisma, { postId: reply.id, user: ann, note: "  clipping trick  " });
      let mine = await myBookmarks(prisma, ann);
      expect(mine.map((b) => [b.postNumber, b.note, b.author, b.url])).toEqual([
        [2, "clipping trick", "bob", `${question.url}?post=2#p2`],
        [1, "", "ann", `${question.url}?post=1#p1`],
      ]);
      expect(mine[0]!.excerpt).toBe("Try gradient clipping.");
      expect(await refusal(bookmarkPost(prisma, { postId: first.id, user: ann, note: "x".repeat(501) }))).toBe("BAD_REQUEST");

      await deletePost(prisma, { postId: reply.id, actor: bob });
      mine = await myBookmarks(prisma, ann);
      expect(mine.map((b) => b.postNumber)).toEqual([1]);
      expect(await refusal(bookmarkPost(prisma, { postId: reply.id, user: ann }))).toBe("NOT_FOUND");
      expect(await removeBookmark(prisma, { postId: first.id, userId: ann.id })).toEqual({ bookmarked: false, removed: true });
      expect(await myBookmarks(prisma, bob)).toEqual([]);
    });
  });

  describe("solved", () => {
    it("lets the topic's author or a grader mark a reply as the answer, shown under the question; others are refused", async () => {
      const { prisma, ann, bob, cat, grace, question } = await setUp();
      const a = await replyToTopic(prisma, { topicId: question.id, body: "Lower the learning rate to 1e-3.", author: bob });
      const b = await replyToTopic(prisma, { topicId: question.id, body: "Check your data for NaNs.", author: cat });
      const first = await prisma.forumPost.findFirstOrThrow({ where: { topicId: question.id, number: 1 }, select: { id: true } });

      expect(await refusal(markSolved(prisma, { postId: a.id, actor: cat }))).toBe("FORBIDDEN");
      expect(await refusal(markSolved(prisma, { postId: first.id, actor: ann }))).toBe("BAD_REQUEST");
      expect(await markSolved(prisma, { postId: a.id, actor: ann })).toMatchObject({ number: 2, changed: true });
      expect(await solvedAnswer(prisma, question.id)).toMatchObject({ number: 2, author: "bob", excerpt: "Lower the learning rate to 1e-3.", solvedBy: "ann", url: `${question.url}?post=2#p2` });
      expect(await notes(prisma, bob.id)).toContainEqual({ kind: "forum-solved", title: 'Your reply was marked as the answer to "Why does my loss explode?"', link: `${question.url}?post=2#p2` });
      expect(await prisma.moderationLog.count()).toBe(0);

      // A grader moves the answer (logged: not their topic); the viewer's state says who may.
      expect(await markSolved(prisma, { postId: b.id, actor: grace })).toMatchObject({ number: 3, changed: true });
      expect(await prisma.moderationLog.findMany({ select: { action: true, actorName: true } })).toEqual([{ action: "topic.solve", actorName: "grace" }]);
      expect(await topicConversation(prisma, question.id, { id: ann.id, role: "student" })).toMatchObject({ solvable: true, canSolve: true, answer: { number: 3, author: "cat" } });
      expect(await topicConversation(prisma, question.id, { id: bob.id, role: "student" })).toMatchObject({ canSolve: false });

      // The unsolved filter, then unmarking; deleting the answer unsolves the topic.
      const open = await createTopic(prisma, { categorySlug: "homework-help", title: "Another open question", body: "?", author: bob });
      const unsolved = await prisma.forumTopic.findMany({ where: UNSOLVED_TOPICS, select: { id: true } });
      expect(unsolved.map((t) => t.id)).toEqual([open.id]);
      expect((await listTopics(prisma, { categorySlug: "homework-help" }, { id: null, role: null })).topics.map((t) => [t.title, t.solved])).toEqual([
        ["Another open question", false],
        ["Why does my loss explode?", true],
      ]);
      expect(await refusal(unmarkSolved(prisma, { topicId: question.id, actor: bob }))).toBe("FORBIDDEN");
      expect(await unmarkSolved(prisma, { topicId: question.id, actor: ann })).toEqual({ solvedPostId: null, changed: true });
      expect(await solvedAnswer(prisma, question.id)).toBeNull();
      await markSolved(prisma, { postId: a.id, actor: ann });
      await deletePost(prisma, { postId: a.id, actor: bob });
      expect((await prisma.forumTopic.findUniqueOrThrow({ where: { id: question.id } })).solvedPostId).toBeNull();
    });

    it("refuses answers in categories that are not solvable", async () => {
      const { prisma, ann, bob, grace } = await setUp();
      const chat = await createTopic(prisma, { categorySlug: "general", title: "Say hello here", body: "Hi all", author: ann });
      const reply = await replyToTopic(prisma, { topicId: chat.id, body: "Hello!", author: bob });
      expect(await refusal(markSolved(prisma, { postId: reply.id, actor: grace }))).toBe("BAD_REQUEST");
      expect(await topicConversation(prisma, chat.id, { id: grace.id, role: "grader" })).toMatchObject({ solvable: false, canSolve: false, answer: null });
    });
  });

  describe("mentions and watching", () => {
    it("notifies mentioned and quoted members once per post, never the muted, and suggests usernames", async () => {
      const { prisma, ann, bob, cat, grace, question } = await setUp();
      const reply = await replyToTopic(prisma, {
        topicId: question.id,
        body: `> [!quote @ann](${question.url}?post=1#p1)\n> It goes to NaN\n\n@cat @grace @nobody have you seen this? @cat again.`,
        author: bob,
      });
      const link = `${question.url}?post=2#p2`;
      // ann: quoted (a mention) and the topic's author: one mention; cat and grace: mentioned once each.
      expect(await notes(prisma, ann.id)).toEqual([{ kind: "forum-mention", title: 'bob mentioned you in "Why does my loss explode?"', link }]);
      expect(await notes(prisma, cat.id)).toEqual([{ kind: "forum-mention", title: 'bob mentioned you in "Why does my loss explode?"', link }]);
      expect((await notes(prisma, grace.id)).map((n) => n.kind)).toEqual(["forum-mention"]);
      expect(await notes(prisma, bob.id)).toEqual([]);

      // cat mutes the topic: no more mentions from it; an edit that adds a mention tells only the new name.
      await setTopicLevel(prisma, { userId: cat.id, topicId: question.id, level: "muted" });
      const dave = await member(prisma, "dave");
      await replyToTopic(prisma, { topicId: question.id, body: "@cat see above", author: ann });
      expect(await prisma.notification.count({ where: { userId: cat.id } })).toBe(1);
      const row = await prisma.textDocument.findFirstOrThrow({ where: { forumPostId: reply.id }, select: { currentNumber: true } });
      await editPost(prisma, { postId: reply.id, body: "@cat @grace @dave have you seen this?", baseRevision: row.currentNumber, actor: bob });
      expect((await notes(prisma, dave.id)).map((n) => [n.kind, n.link])).toEqual([["forum-mention", link]]);
      expect(await prisma.notification.count({ where: { userId: grace.id } })).toBe(1);

      // The topic's participants first (ann wrote in it), then everyone else; never the one asking.
      const suggested = await mentionSuggestions(prisma, { prefix: "", topicId: question.id, viewerId: bob.id });
      expect(suggested.map((s) => s.username)).toEqual(["ann", "cat", "dave", "grace"]);
      expect((await mentionSuggestions(prisma, { prefix: "GR", viewerId: bob.id })).map((s) => s.username)).toEqual(["grace"]);
      expect((await mentionSuggestions(prisma, { prefix: "bo", viewerId: bob.id })).map((s) => s.username)).toEqual([]);
    });

    it("tells watchers of every post, the author of the post answered, and category watchers of new topics", async () => {
      const { prisma, ann, bob, cat, grace, question } = await setUp();
      const dave = await member(prisma, "dave");
      await setTopicLevel(prisma, { userId: cat.id, topicId: question.id, level: "watching" });
      await setCategoryLevel(prisma, { userId: grace.id, categorySlug: "homework-help", level: "watching" });
      await setCategoryLevel(prisma, { userId: dave.id, categorySlug: "homework-help", level: "muted" });

      // bob replies to the topic: ann (its author, watching it as creator) hears a reply; cat and grace as watchers.
      const r1 = await replyToTopic(prisma, { topicId: question.id, body: "Which optimizer?", author: bob });
      expect((await notes(prisma, ann.id)).map((n) => n.kind)).toEqual(["forum-reply"]);
      expect((await notes(prisma, cat.id)).map((n) => [n.kind, n.title])).toEqual([["forum-watched-topic", 'bob posted in "Why does my loss explode?"']]);
      expect((await notes(prisma, grace.id)).map((n) => n.kind)).toEqual(["forum-watched-topic"]);
      expect(await notes(prisma, dave.id)).toEqual([]);

      // Replying to bob's post tells bob (a reply); bob now tracks the topic (he replied) and is not a watcher.
      const topic = await prisma.forumTopic.findUniqueOrThrow({ where: { id: question.id }, select: { id: true, categoryId: true, authorId: true } });
      expect(await recipientsForNewPost(prisma, topic, { id: "x", number: 3, authorId: ann.id, replyToNumber: r1.number })).toEqual({
        mentioned: [],
        replied: [bob.id],
        watching: expect.arrayContaining([cat.id, grace.id]),
      });
      expect(await topicLevel(prisma, bob.id, question.id)).toEqual({ level: "tracking", reason: "replied" });
      expect(await topicLevel(prisma, ann.id, question.id)).toEqual({ level: "watching", reason: "created" });
      expect(await topicLevel(prisma, grace.id, question.id)).toEqual({ level: "watching", reason: "category" });

      // A new topic in the category tells its watchers (grace), not the muted (dave) or its author.
      await createTopic(prisma, { categorySlug: "homework-help", title: "Kernel keeps dying", body: "Out of memory?", author: cat });
      expect((await notes(prisma, grace.id)).map((n) => n.title)).toContain('New topic by cat: "Kernel keeps dying"');
      expect(await notes(prisma, dave.id)).toEqual([]);
      expect((await notes(prisma, cat.id)).map((n) => n.title)).not.toContain('New topic by cat: "Kernel keeps dying"');

      // Unwatching stops it.
      await setTopicLevel(prisma, { userId: cat.id, topicId: question.id, level: "normal" });
      await replyToTopic(prisma, { topicId: question.id, body: "Adam, lr 0.1.", author: ann });
      expect(await prisma.notification.count({ where: { userId: cat.id, kind: "forum-watched-topic" } })).toBe(1);
    });
  });

  describe("unread", () => {
    it("marks read as posts are seen (never backwards), opens at the first unread post, and counts unread per category", async () => {
      const { prisma, ann, bob, cat, question } = await setUp();
      for (const text of ["One.", "Two.", "Three.", "Four."]) await replyToTopic(prisma, { topicId: question.id, body: text, author: bob });
      // cat never opened it: it is new to her, and opens at the top.
      expect(await firstUnreadPostNumber(prisma, cat.id, question.id)).toBe(1);
      expect(await unreadByCategory(prisma, { id: cat.id })).toEqual({ "homework-help": { unread: 0, new: 1 } });

      expect(await markRead(prisma, { userId: cat.id, topicId: question.id, upToNumber: 2, seconds: 12 })).toEqual({ lastReadPostNumber: 2, newlyRead: 2 });
      expect(await markRead(prisma, { userId: cat.id, topicId: question.id, upToNumber: 1, seconds: 500 })).toEqual({ lastReadPostNumber: 2, newlyRead: 0 });
      expect(await firstUnreadPostNumber(prisma, cat.id, question.id)).toBe(3);
      // Reading without tracking: no unread count, and not new any more.
      expect(await unreadByCategory(prisma, { id: cat.id })).toEqual({});
      await setTopicLevel(prisma, { userId: cat.id, topicId: question.id, level: "tracking" });
      expect(await unreadByCategory(prisma, { id: cat.id })).toEqual({ "homework-help": { unread: 1, new: 0 } });
      expect(await topicReadStates(prisma, cat.id, [question.id])).toEqual({ [question.id]: { lastReadPostNumber: 2, unread: 3, new: false } });

      // A deleted post is skipped; past the end is clamped; reading everything opens at the last post.
      const third = await prisma.forumPost.findFirstOrThrow({ where: { topicId: question.id, number: 3 }, select: { id: true } });
      await deletePost(prisma, { postId: third.id, actor: bob });
      expect(await firstUnreadPostNumber(prisma, cat.id, question.id)).toBe(4);
      expect(await markRead(prisma, { userId: cat.id, topicId: question.id, upToNumber: 99, seconds: 5 })).toEqual({ lastReadPostNumber: 5, newlyRead: 3 });
      expect(await firstUnreadPostNumber(prisma, cat.id, question.id)).toBe(5);
      expect(await unreadByCategory(prisma, { id: cat.id })).toEqual({});
      const stat = await prisma.forumUserStat.findUniqueOrThrow({ where: { userId: cat.id } });
      expect([stat.postsRead, stat.readSeconds, stat.topicsEntered]).toEqual([5, 12 + 60 + 5, 1]);

      // The author of replies has read up to their own post; the topic's author tracks (watches) it and sees unread.
      expect(await topicReadStates(prisma, ann.id, [question.id])).toEqual({ [question.id]: { lastReadPostNumber: 1, unread: 4, new: false } });
      expect(await unreadByCategory(prisma, { id: ann.id })).toEqual({ "homework-help": { unread: 1, new: 0 } });
      // Concurrent batches from two tabs end at the highest number.
      await Promise.all([4, 2, 5, 3].map((n) => markRead(prisma, { userId: ann.id, topicId: question.id, upToNumber: n, seconds: 1 })));
      expect((await prisma.forumTopicUser.findUniqueOrThrow({ where: { userId_topicId: { userId: ann.id, topicId: question.id } } })).lastReadPostNumber).toBe(5);
    });
  });

  describe("drafts", () => {
    it("saves drafts with sequences, refuses a stale device's save, and drops the draft when the post is sent", async () => {
      const { prisma, ann, question } = await setUp();
      const key = `topic:${question.id}`;
      expect(await getDraft(prisma, ann.id, key)).toBeNull();
      const laptop = await saveDraft(prisma, { userId: ann.id, key, body: "Half a thought", replyToNumber: 1, sequence: 0 });
      expect(laptop.sequence).toBe(1);
      // The phone opens the draft (sequence 1) and saves; the laptop, still at 1, is refused with the newer text.
      expect(await getDraft(prisma, ann.id, key)).toMatchObject({ body: "Half a thought", replyToNumber: 1, sequence: 1 });
      expect((await saveDraft(prisma, { userId: ann.id, key, body: "A whole thought", sequence: 1 })).sequence).toBe(2);
      const stale = await saveDraft(prisma, { userId: ann.id, key, body: "Half a thought, longer", sequence: 1 }).catch((e: unknown) => e);
      expect(stale).toBeInstanceOf(DomainError);
      expect((stale as DomainError).code).toBe("CONFLICT");
      expect((stale as DomainError).details).toMatchObject({ draft: { body: "A whole thought", sequence: 2 } });
      // Two saves from the same sequence at once: one wins.
      const race = await Promise.all([3, 4].map((n) => refusal(saveDraft(prisma, { userId: ann.id, key, body: `try ${n}`, sequence: 2 }))));
      expect(race.sort()).toEqual(["CONFLICT", "resolved"]);
      // A second first save (another device starting the same draft) is refused too.
      expect(await refusal(saveDraft(prisma, { userId: ann.id, key, body: "fresh", sequence: 0 }))).toBe("CONFLICT");
      expect(await refusal(deleteDraft(prisma, { userId: ann.id, key, sequence: 1 }))).toBe("CONFLICT");
      expect(await refusal(saveDraft(prisma, { userId: ann.id, key: "../etc", body: "x", sequence: 0 }))).toBe("BAD_REQUEST");

      // Sending the reply removes the draft; a device still holding it is told it was sent.
      await replyToTopic(prisma, { topicId: question.id, body: "A whole thought", author: ann });
      expect(await getDraft(prisma, ann.id, key)).toBeNull();
      const gone = await saveDraft(prisma, { userId: ann.id, key, body: "late autosave", sequence: 3 }).catch((e: unknown) => e);
      expect((gone as DomainError).message).toMatch(/sent or discarded on another device/);
      await saveDraft(prisma, { userId: ann.id, key: "new-topic:homework-help", title: "Draft title", body: "Draft body", sequence: 0 });
      await createTopic(prisma, { categorySlug: "homework-help", title: "Draft title", body: "Draft body", author: ann });
      expect(await getDraft(prisma, ann.id, "new-topic:homework-help")).toBeNull();
    });
  });
});
