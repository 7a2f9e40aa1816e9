import { loadCourse, loadForumCategories } from "@course/content";
import { findRepoRoot, type Database, type PrismaClient, type Role } from "@course/db";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DomainError } from "~/server/errors";
import { syncForumCategories } from "~/server/forum/categories";
import { flagPost, flagWeight, HIDE_WEIGHT, reviewPost, reviewQueue, setPostHidden } from "~/server/forum/flags";
import { moderationLogPage, userModeration } from "~/server/forum/moderation";
import type { ForumActor } from "~/server/forum/permissions";
import { editPost, replyToTopic } from "~/server/forum/posts";
import { listTopics, viewTopic } from "~/server/forum/read";
import { postStates } from "~/server/forum/viewer-state";
import { createTopic } from "~/server/forum/topics";
import { search } from "~/server/search";
import { eachBackend } from "./support/backends";

const root = findRepoRoot();
const course = await loadCourse(path.join(root, "content"));
const categories = await loadForumCategories(path.join(root, "content"), course.lessons);

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => ({ code: "resolved", message: "" }),
    (e: unknown) => (e instanceof DomainError ? { code: e.code, message: e.message } : { code: String(e), message: String(e) }),
  );

describe("flag weights", () => {
  it("weighs members 1, regulars and leaders 1.5, moderators the whole threshold", () => {
    expect(flagWeight({ role: "student", trustLevel: 1 })).toBe(1);
    expect(flagWeight({ role: "student", trustLevel: 2 })).toBe(1);
    expect(flagWeight({ role: "student", trustLevel: 3 })).toBe(1.5);
    expect(flagWeight({ role: "grader", trustLevel: 0 })).toBe(HIDE_WEIGHT);
    expect(HIDE_WEIGHT).toBe(3);
  });
});

eachBackend((get: () => Database) => {
  async function member(prisma: PrismaClient, name: string, options: { role?: Role; trustLevel?: number } = {}): Promise<ForumActor> {
    const u = await prisma.user.create({ data: { email: `${name}@example.com`, name, role: options.role ?? "student", trustLevel: options.trustLevel ?? 1 } });
    return { id: u.id, name, role: u.role };
  }
  /** A topic by Grace, and a reply by Sam (a spammer) with findable words. */
  async function setUp() {
    const { prisma } = get();
    await syncForumCategories(prisma, categories);
    const admin = await member(prisma, "ada", { role: "admin" });
    const grace = await member(prisma, "grace", { role: "grader" });
    const sam = await member(prisma, "sam", { trustLevel: 0 });
    const topic = await createTopic(prisma, { categorySlug: "general", title: "Training tips", body: "Share your tips.", author: grace });
    const spam = await replyToTopic(prisma, { topicId: topic.id, body: "Buy cheap zanzibar watches", author: sam });
    const flaggers = await Promise.all(["fa", "fb", "fc"].map((n) => member(prisma, n)));
    return { prisma, admin, grace, sam, topic, spam, flaggers };
  }
  const postOf = (prisma: PrismaClient, id: string) => prisma.forumPost.findUniqueOrThrow({ where: { id } });
  const found = async (words: string) => (await search(get().prisma, { q: words })).hits.length;

  describe("flagging", () => {
    it("refuses level 0, one's own post, a second flag, and 'other' without a note", async () => {
      const { prisma, sam, spam, flaggers, topic, grace } = await setUp();
      const newbie = await member(prisma, "newbie", { trustLevel: 0 });
      expect(await refusal(flagPost(prisma, { postId: spam.id, reason: "spam", actor: newbie }))).toEqual({
        code: "FORBIDDEN",
        message: "New members (trust level 0) cannot flag posts yet: read and take part a little longer to reach trust level 1.",
      });
      const own = await replyToTopic(prisma, { topicId: topic.id, body: "My own words", author: flaggers[0]! });
      expect((await refusal(flagPost(prisma, { postId: own.id, reason: "spam", actor: flaggers[0]! }))).message).toBe("You cannot flag your own post: edit or delete it instead.");
      expect((await refusal(flagPost(prisma, { postId: spam.id, reason: "other", note: "  ", actor: flaggers[0]! }))).code).toBe("BAD_REQUEST");
      await flagPost(prisma, { postId: spam.id, reason: "other", note: "Advertising", actor: flaggers[0]! });
      expect(await refusal(flagPost(prisma, { postId: spam.id, reason: "spam", actor: flaggers[0]! }))).toEqual({ code: "CONFLICT", message: "You have already flagged this post." });
      expect((await refusal(flagPost(prisma, { postId: "nope", reason: "spam", actor: flaggers[1]! }))).code).toBe("NOT_FOUND");
      // Silenced members cannot flag.
      await prisma.user.update({ where: { id: flaggers[2]!.id }, data: { silencedUntil: new Date(Date.now() + 60_000) } });
      expect((await refusal(flagPost(prisma, { postId: spam.id, reason: "spam", actor: flaggers[2]! }))).message).toMatch(/^You are silenced until .*: you may read but not flag posts\.$/);
      void sam;
      void grace;
    });

    it("hides a post once three members flag it: others see a placeholder, its author and moderators the text", async () => {
      const { prisma, sam, spam, topic, flaggers, grace } = await setUp();
      expect(await found("zanzibar")).toBe(1);
      expect(await flagPost(prisma, { postId: spam.id, reason: "spam", actor: flaggers[0]! })).toMatchObject({ hidden: false });
      expect(await flagPost(prisma, { postId: spam.id, reason: "inappropriate", actor: flaggers[1]! })).toMatchObject({ hidden: false });
      expect((await postOf(prisma, spam.id)).hiddenAt).toBeNull();
      expect(await flagPost(prisma, { postId: spam.id, reason: "spam", actor: flaggers[2]! })).toMatchObject({ hidden: true });
      const post = await postOf(prisma, spam.id);
      expect(post.hiddenAt).not.toBeNull();
      expect(post.hiddenReason).toBe("Flagged as spam");

      const view = async (viewer: { id: string | null; role: Role | null }) => (await viewTopic(prisma, topic.id, viewer)).window.posts.find((p) => p.id === spam.id)!;
      const other = await view({ id: flaggers[0]!.id, role: "student" });
      expect(other).toMatchObject({ hidden: true, cooked: "", can: { flag: false } });
      expect((await view({ id: null, role: null })).cooked).toBe("");
      expect((await view({ id: sam.id, role: "student" })).cooked).toContain("zanzibar");
      expect((await view({ id: grace.id, role: "grader" })).cooked).toContain("zanzibar");
      expect(await found("zanzibar")).toBe(0);
      // The author is told; nobody flags a hidden post again.
      const note = await prisma.notification.findFirstOrThrow({ where: { userId: sam.id, kind: "forum-moderation" } });
      expect(note.title).toBe('Your post in "Training tips" was hidden pending review');
      const late = await member(prisma, "late");
      expect((await refusal(flagPost(prisma, { postId: spam.id, reason: "spam", actor: late }))).code).toBe("CONFLICT");
    });

    it("hides at once on a grader's flag, or on two regulars'; never hides a moderator's post on members' flags", async () => {
      const { prisma, spam, topic, grace, flaggers } = await setUp();
      expect(await flagPost(prisma, { postId: spam.id, reason: "off-topic", actor: grace })).toMatchObject({ hidden: true });
      const other = await replyToTopic(prisma, { topicId: topic.id, body: "Another dubious post", author: flaggers[0]! });
      const [r1, r2] = await Promise.all(["ra", "rb"].map((n) => member(prisma, n, { trustLevel: 3 })));
      expect(await flagPost(prisma, { postId: other.id, reason: "spam", actor: r1! })).toMatchObject({ hidden: false });
      expect(await flagPost(prisma, { postId: other.id, reason: "spam", actor: r2! })).toMatchObject({ hidden: true });
      const gracePost = await prisma.forumPost.findFirstOrThrow({ where: { topicId: topic.id, number: 1 } });
      for (const f of flaggers) await flagPost(prisma, { postId: gracePost.id, reason: "inappropriate", actor: f });
      expect((await postOf(prisma, gracePost.id)).hiddenAt).toBeNull();
      expect((await reviewQueue(prisma, { role: "grader" })).items.map((i) => i.post.id)).toContain(gracePost.id);
    });
  });

  describe("after hiding", () => {
    it("shows a post again once when its author edits it; the flags stay for review; a second hide sticks", async () => {
      const { prisma, sam, spam, flaggers, topic } = await setUp();
      // Flagged before: the flagger's own state says so (the post shows "You flagged this post", not the button).
      await flagPost(prisma, { postId: spam.id, reason: "spam", actor: flaggers[0]! });
      expect((await postStates(prisma, flaggers[0]!.id, [spam.id])).flagged).toEqual([spam.id]);
      expect((await postStates(prisma, flaggers[1]!.id, [spam.id])).flagged).toEqual([]);
      for (const f of flaggers.slice(1)) await flagPost(prisma, { postId: spam.id, reason: "spam", actor: f });
      expect((await postOf(prisma, spam.id)).hiddenAt).not.toBeNull();

      const base = async () => (await prisma.forumPost.findUniqueOrThrow({ where: { id: spam.id }, select: { version: true } })).version;
      await editPost(prisma, { postId: spam.id, body: "Sorry: a tip about zanzibar learning rates", baseRevision: await base(), actor: sam });
      expect((await postOf(prisma, spam.id)).hiddenAt).toBeNull();
      expect(await found("zanzibar")).toBe(1);
      expect((await reviewQueue(prisma, { role: "grader" })).items.map((i) => i.post.id)).toEqual([spam.id]);
      expect((await prisma.moderationLog.findMany({ where: { targetId: spam.id } })).map((l) => [l.action, l.actorName])).toEqual([["post.shown-after-edit", "sam"]]);

      // Flagged again (a new member's flag, the pending ones still weigh): hidden, and another edit leaves it hidden.
      const fd = await member(prisma, "fd");
      expect(await flagPost(prisma, { postId: spam.id, reason: "spam", actor: fd })).toMatchObject({ hidden: true });
      await editPost(prisma, { postId: spam.id, body: "Really sorry", baseRevision: await base(), actor: sam });
      expect((await postOf(prisma, spam.id)).hiddenAt).not.toBeNull();
      void topic;
    });

    it("a moderator's hide stays when the author edits; a hidden question leaves the topic lists until shown", async () => {
      const { prisma, sam, spam, grace, flaggers } = await setUp();
      await setPostHidden(prisma, { postId: spam.id, hidden: true, reason: "Advertising", actor: grace });
      const version = (await prisma.forumPost.findUniqueOrThrow({ where: { id: spam.id }, select: { version: true } })).version;
      await editPost(prisma, { postId: spam.id, body: "Edited advert", baseRevision: version, actor: sam });
      expect((await postOf(prisma, spam.id)).hiddenAt).not.toBeNull();

      const question = await createTopic(prisma, { categorySlug: "general", title: "Cheap zanzibar deals", body: "Visit my shop", author: sam });
      const listed = async (viewer: { id: string | null; role: Role | null }) =>
        (await listTopics(prisma, { categorySlug: "general" }, viewer)).topics.map((t) => t.id).includes(question.id);
      expect(await listed({ id: flaggers[0]!.id, role: "student" })).toBe(true);
      await setPostHidden(prisma, { postId: question.postId, hidden: true, reason: "Spam", actor: grace });
      expect(await listed({ id: flaggers[0]!.id, role: "student" })).toBe(false);
      expect(await listed({ id: null, role: null })).toBe(false);
      expect(await listed({ id: grace.id, role: "grader" })).toBe(true);
      await setPostHidden(prisma, { postId: question.postId, hidden: false, actor: grace });
      expect(await listed({ id: flaggers[0]!.id, role: "student" })).toBe(true);
    });
  });

  describe("the review queue", () => {
    it("lists pending flags grouped by post, oldest first, for graders and admins only", async () => {
      const { prisma, spam, flaggers, topic } = await setUp();
      const second = await replyToTopic(prisma, { topicId: topic.id, body: "Off topic chatter", author: flaggers[2]! });
      await flagPost(prisma, { postId: spam.id, reason: "spam", actor: flaggers[0]! });
      await flagPost(prisma, { postId: spam.id, reason: "other", note: "Links to a shop", actor: flaggers[1]! });
      await flagPost(prisma, { postId: second.id, reason: "off-topic", actor: flaggers[0]! });
      const queue = await reviewQueue(prisma, { role: "admin" });
      expect(queue.pendingPosts).toBe(2);
      expect(queue.items.map((i) => [i.post.number, i.flags.map((f) => f.reason), i.weight])).toEqual([
        [2, ["spam", "other"], 2],
        [3, ["off-topic"], 1],
      ]);
      expect(queue.items[0]).toMatchObject({ topic: { title: "Training tips" }, post: { author: { name: "sam", trustLevel: 0 }, hidden: false }, flags: [{ by: { name: "fa" } }, { note: "Links to a shop" }] });
      expect(queue.items[0]!.post.url).toBe(`/forum/t/${topic.id}/training-tips?post=2#p2`);
      expect((await refusal(reviewQueue(prisma, { role: "student" }))).code).toBe("FORBIDDEN");
    });

    it("agree keeps the post hidden, counts against its author, tells them, and is logged; twice is a conflict", async () => {
      const { prisma, spam, flaggers, grace, sam } = await setUp();
      for (const f of flaggers) await flagPost(prisma, { postId: spam.id, reason: "spam", actor: f });
      expect(await reviewPost(prisma, { postId: spam.id, decision: "agree", reason: "Obvious spam", actor: grace })).toEqual({ decision: "agree", flags: 3, hidden: true, deleted: false });
      expect((await postOf(prisma, spam.id)).hiddenAt).not.toBeNull();
      expect((await prisma.forumFlag.findMany({ where: { postId: spam.id } })).map((f) => [f.status, f.handledById])).toEqual([
        ["agreed", grace.id],
        ["agreed", grace.id],
        ["agreed", grace.id],
      ]);
      expect((await prisma.forumUserStat.findUniqueOrThrow({ where: { userId: sam.id } })).flagsAgreed).toBe(1);
      expect(await prisma.notification.count({ where: { userId: sam.id, kind: "forum-moderation" } })).toBe(2);
      expect(await prisma.moderationLog.findMany({ where: { targetId: spam.id } })).toMatchObject([
        { action: "flag.agree", actorName: "grace", targetType: "post", reason: "Obvious spam", detail: { flags: 3, reasons: ["spam"], deleted: false, hidden: true } },
      ]);
      expect((await reviewQueue(prisma, { role: "grader" })).items).toEqual([]);
      expect(await refusal(reviewPost(prisma, { postId: spam.id, decision: "disagree", actor: grace }))).toEqual({ code: "CONFLICT", message: "This post has no pending flags: someone already reviewed them." });
      expect((await refusal(reviewPost(prisma, { postId: spam.id, decision: "agree", actor: { ...sam, role: "student" } }))).code).toBe("FORBIDDEN");
    });

    it("agree and delete removes the post through the forum's delete path; both logged", async () => {
      const { prisma, spam, flaggers, admin } = await setUp();
      await flagPost(prisma, { postId: spam.id, reason: "spam", actor: flaggers[0]! });
      expect(await reviewPost(prisma, { postId: spam.id, decision: "agree", deletePost: true, actor: admin })).toMatchObject({ deleted: true });
      expect((await postOf(prisma, spam.id)).deletedAt).not.toBeNull();
      expect((await prisma.moderationLog.findMany({ where: { targetId: spam.id }, orderBy: { createdAt: "asc" } })).map((l) => l.action)).toEqual(["post.delete", "flag.agree"]);
    });

    it("disagree shows the post again (and in search); ignore leaves it as it is", async () => {
      const { prisma, spam, flaggers, grace, topic, sam } = await setUp();
      for (const f of flaggers) await flagPost(prisma, { postId: spam.id, reason: "spam", actor: f });
      expect(await found("zanzibar")).toBe(0);
      expect(await reviewPost(prisma, { postId: spam.id, decision: "disagree", reason: "It is a real question", actor: grace })).toMatchObject({ hidden: false });
      expect((await postOf(prisma, spam.id)).hiddenAt).toBeNull();
      expect(await found("zanzibar")).toBe(1);
      expect(await prisma.forumUserStat.findUniqueOrThrow({ where: { userId: sam.id } })).toMatchObject({ flagsAgreed: 0 });

      const other = await replyToTopic(prisma, { topicId: topic.id, body: "Borderline post", author: sam });
      await flagPost(prisma, { postId: other.id, reason: "off-topic", actor: grace });
      expect(await reviewPost(prisma, { postId: other.id, decision: "ignore", actor: grace })).toMatchObject({ hidden: true });
      expect((await postOf(prisma, other.id)).hiddenAt).not.toBeNull();
      const log = await moderationLogPage(prisma, { action: "flag." });
      expect(log.entries.map((e) => e.action)).toEqual(["flag.ignore", "flag.disagree"]);
      // A moderator shows it again by hand: logged too.
      expect(await setPostHidden(prisma, { postId: other.id, hidden: false, reason: "Fine after all", actor: grace })).toEqual({ changed: true });
      expect(await setPostHidden(prisma, { postId: other.id, hidden: false, actor: grace })).toEqual({ changed: false });
      expect((await moderationLogPage(prisma, { action: "post.unhide" })).entries).toMatchObject([{ actorName: "grace", reason: "Fine after all", target: { label: `post 3 of "Training tips"` } }]);
    });
  });

  describe("the audit log and the moderation panel", () => {
    it("filters the log by action, actor, target and date, and pages on", async () => {
      const { prisma, spam, flaggers, grace, admin, sam } = await setUp();
      await flagPost(prisma, { postId: spam.id, reason: "spam", actor: flaggers[0]! });
      await reviewPost(prisma, { postId: spam.id, decision: "agree", actor: grace });
      const { silenceUser, suspendUser } = await import("~/server/forum/moderation");
      await silenceUser(prisma, { userId: sam.id, until: new Date(Date.now() + 86_400_000), reason: "Spam again", actor: grace });
      await suspendUser(prisma, { userId: sam.id, until: new Date(Date.now() + 2 * 86_400_000), reason: "Spam a third time", actor: admin });
      const all = await moderationLogPage(prisma, {});
      expect(all.entries.map((e) => e.action)).toEqual(["user.suspend", "user.silence", "flag.agree"]);
      expect(all.actions).toEqual(["flag.agree", "user.silence", "user.suspend"]);
      expect(all.entries[0]!.target).toEqual({ label: "sam (sam@example.com)", url: `/admin/users/${sam.id}` });
      expect((await moderationLogPage(prisma, { actor: "GRA" })).entries.map((e) => e.action)).toEqual(["user.silence", "flag.agree"]);
      expect((await moderationLogPage(prisma, { targetType: "post" })).entries.map((e) => e.action)).toEqual(["flag.agree"]);
      expect((await moderationLogPage(prisma, { action: "user." })).entries).toHaveLength(2);
      expect((await moderationLogPage(prisma, { from: new Date(Date.now() + 60_000) })).entries).toEqual([]);
      const first = await moderationLogPage(prisma, { limit: 2 });
      expect(first.nextCursor).not.toBeNull();
      const rest = await moderationLogPage(prisma, { limit: 2, cursor: first.nextCursor! });
      expect(rest.entries.map((e) => e.action)).toEqual(["flag.agree"]);
      expect(rest.nextCursor).toBeNull();

      const panel = await userModeration(prisma, sam.id);
      expect(panel.user).toMatchObject({ name: "sam", role: "student" });
      expect(panel.silenced).toMatchObject({ reason: "Spam again" });
      expect(panel.suspended).toMatchObject({ reason: "Spam a third time" });
      expect(panel.stats).toMatchObject({ posts: 1, flagsAgreed: 1 });
      expect(panel.flags.against).toMatchObject([{ reason: "spam", status: "agreed", by: "fa", handledBy: "grace" }]);
      expect(panel.log.map((l) => l.action)).toEqual(["user.suspend", "user.silence", "flag.agree"]);
      expect((await userModeration(prisma, flaggers[0]!.id)).flags.raised).toHaveLength(1);
    });
  });

  describe("flags per day", () => {
    const before = process.env.FORUM_RATE_LIMITS;
    afterEach(() => {
      process.env.FORUM_RATE_LIMITS = before;
    });

    it("limits a level-1 member to 10 flags in 24 hours, saying when they can flag again", async () => {
      const { prisma, topic, grace } = await setUp();
      const posts = [];
      for (let i = 0; i < 11; i++) posts.push(await replyToTopic(prisma, { topicId: topic.id, body: `Dubious post ${i}`, author: grace }));
      const flagger = await member(prisma, "busy");
      process.env.FORUM_RATE_LIMITS = "on";
      for (const p of posts.slice(0, 10)) await flagPost(prisma, { postId: p.id, reason: "off-topic", actor: flagger });
      const r = await refusal(flagPost(prisma, { postId: posts[10]!.id, reason: "off-topic", actor: flagger }));
      expect(r.code).toBe("TOO_MANY_REQUESTS");
      expect(r.message).toMatch(/^Members at trust level 1 \(basic\) may flag at most 10 posts in 24 hours\. You can flag again in (1 d|23 h 59 min) \(at .* UTC\)\.$/);
    });
  });
});
