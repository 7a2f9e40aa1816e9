import { loadCourse, loadForumCategories } from "@course/content";
import { findRepoRoot, type Database, type PrismaClient, type Role } from "@course/db";
import { renderMarkdown } from "@course/markdown";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { authenticate, createUser } from "~/server/auth/users";
import { DomainError } from "~/server/errors";
import { openLesson, savePosition } from "~/server/lesson-progress";
import { syncForumCategories } from "~/server/forum/categories";
import { checkPostAllowed, checkPostContent, FIRST_DAY, LEVEL_LIMITS, postContentCounts } from "~/server/forum/limits";
import { silenceUser, suspendUser, unsilenceUser } from "~/server/forum/moderation";
import type { ForumActor } from "~/server/forum/permissions";
import { likePost, likesPerDay } from "~/server/forum/likes";
import { editPost, replyToTopic } from "~/server/forum/posts";
import { createTopic } from "~/server/forum/topics";
import { markRead } from "~/server/forum/unread";
import {
  canEditWikiPost,
  earnedTrustLevel,
  effectiveTrustLevel,
  myTrust,
  recordReading,
  recordVisit,
  refreshTrustLevel,
  setTrustLevel,
  TRUST_REQUIREMENTS,
  trustProgress,
  type TrustActivity,
} from "~/server/forum/trust";
import { eachBackend } from "./support/backends";

const root = findRepoRoot();
const course = await loadCourse(path.join(root, "content"));
const categories = await loadForumCategories(path.join(root, "content"), course.lessons);

const NONE: TrustActivity = { accountDays: 0, daysVisited: 0, topicsEntered: 0, postsRead: 0, learningMinutes: 0, postsWritten: 0, likesGiven: 0, likesReceived: 0, flagsAgreed: 0 };
/** The least activity a level's column asks for. */
function activityFor(level: 1 | 2 | 3): TrustActivity {
  const a = { ...NONE };
  for (const r of TRUST_REQUIREMENTS) if (r.kind === "min") a[r.key] = r.levels[level - 1] ?? 0;
  return a;
}

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => ({ code: "resolved", message: "", details: undefined as Record<string, unknown> | undefined }),
    (e: unknown) => (e instanceof DomainError ? { code: e.code, message: e.message, details: e.details } : { code: String(e), message: String(e), details: undefined }),
  );

describe("the trust level table", () => {
  it("earns each level from its column (and the ones below), never 4", () => {
    expect(earnedTrustLevel(NONE)).toBe(0);
    expect(earnedTrustLevel(activityFor(1))).toBe(1);
    expect(earnedTrustLevel(activityFor(2))).toBe(2);
    expect(earnedTrustLevel(activityFor(3))).toBe(3);
    expect(earnedTrustLevel({ ...activityFor(3), accountDays: 10_000, postsRead: 1e6 })).toBe(3);
    // One condition short holds the level back.
    expect(earnedTrustLevel({ ...activityFor(1), postsRead: 29 })).toBe(0);
    expect(earnedTrustLevel({ ...activityFor(2), likesReceived: 0 })).toBe(1);
  });

  it("counts lesson watching as learning time and agreed flags against the member", () => {
    const reading = { ...activityFor(1), learningMinutes: 9 };
    expect(earnedTrustLevel(reading)).toBe(0);
    expect(earnedTrustLevel({ ...reading, learningMinutes: 10 })).toBe(1);
    expect(earnedTrustLevel({ ...activityFor(2), flagsAgreed: 3 })).toBe(1);
    expect(earnedTrustLevel({ ...activityFor(3), flagsAgreed: 1 })).toBe(2);
  });

  it("says what the next level asks and what is missing", () => {
    const progress = trustProgress({ ...NONE, postsRead: 12 }, 0)!;
    expect(progress.level).toBe(1);
    expect(progress.rows.find((r) => r.label === "posts read")).toEqual({ label: "posts read", have: 12, need: 30, kind: "min", met: false });
    expect(progress.rows.some((r) => r.label === "likes given")).toBe(false);
    expect(trustProgress(NONE, 3)).toBeNull();
  });

  it("treats graders and admins as level 4 and lets level 1 edit wiki posts", () => {
    expect(effectiveTrustLevel({ role: "grader", trustLevel: 0 })).toBe(4);
    expect(effectiveTrustLevel({ role: "admin" })).toBe(4);
    expect(effectiveTrustLevel({ role: "student", trustLevel: 2 })).toBe(2);
    expect(canEditWikiPost({ id: "u", role: "student", trustLevel: 0 })).toBe(false);
    expect(canEditWikiPost({ id: "u", role: "student", trustLevel: 1 })).toBe(true);
    expect(canEditWikiPost({ id: "g", role: "grader", trustLevel: 0 })).toBe(true);
    expect(canEditWikiPost({ id: null, role: null })).toBe(false);
  });
});

describe("content limits per trust level", () => {
  const user = (name: string) => ({ url: `/forum/u/${name}` });
  const found = (md: string) => renderMarkdown(md, { user }).found;

  it("counts links to other sites, images and @mentions, not what sits in a quote", () => {
    const f = found("[a](https://a.example) https://b.example ![x](https://c.example/x.png) ![y](/media/abc/y.png) [ours](/wiki/Home) @ann @Ann @bob\n\n> [!quote @carl](/forum/t/1#p2)\n> https://quoted.example @dora\n");
    expect(postContentCounts(f)).toEqual({ links: 3, images: 2, mentions: 3 });
  });

  it("refuses a new member's fourth link, second image and third mention, with the limit and the count", () => {
    expect(() => checkPostContent(0, found("https://a.example https://b.example"))).not.toThrow();
    expect(() => checkPostContent(0, found("https://a.example https://b.example https://c.example"))).toThrow(
      "Members at trust level 0 (new) may put at most 2 links to other sites in a post; this one has 3. Read and take part a little longer to reach trust level 1, where this limit goes.",
    );
    expect(() => checkPostContent(0, found("![a](/media/a/a.png) ![b](/media/b/b.png)"))).toThrow(/at most 1 image in a post; this one has 2/);
    expect(() => checkPostContent(0, found("@ann @bob @carl"))).toThrow(/at most 2 @mentions in a post; this one has 3/);
    expect(() => checkPostContent(1, found("https://a.example https://b.example https://c.example ![a](/media/a/a.png) ![b](/media/b/b.png)"))).not.toThrow();
    const many = Array.from({ length: 11 }, (_, i) => `@user${i}`).join(" ");
    expect(() => checkPostContent(1, found(many))).toThrow("Members at trust level 1 (basic) may put at most 10 @mentions in a post; this one has 11.");
    expect(() => checkPostContent(4, found(many))).not.toThrow();
  });
});

eachBackend((get: () => Database) => {
  async function member(prisma: PrismaClient, name: string, options: { role?: Role; trustLevel?: number; ageDays?: number } = {}): Promise<ForumActor> {
    const createdAt = new Date(Date.now() - (options.ageDays ?? 30) * 86_400_000);
    const u = await prisma.user.create({ data: { email: `${name}@example.com`, name, role: options.role ?? "student", trustLevel: options.trustLevel ?? 0, createdAt } });
    return { id: u.id, name, role: u.role };
  }
  async function setUp() {
    const { prisma } = get();
    await syncForumCategories(prisma, categories);
    const admin = await member(prisma, "ada", { role: "admin" });
    const grace = await member(prisma, "grace", { role: "grader" });
    const topic = await createTopic(prisma, { categorySlug: "general", title: "Welcome thread", body: "Say hello.", author: grace });
    return { prisma, admin, grace, topic };
  }
  /** Moves a member's posts and topics back in time (as if written `seconds` ago). */
  async function age(prisma: PrismaClient, userId: string, seconds: number) {
    await prisma.$executeRaw`UPDATE "ForumPost" SET "createdAt" = "createdAt" - make_interval(secs => ${seconds}) WHERE "authorId" = ${userId}`;
    await prisma.$executeRaw`UPDATE "ForumTopic" SET "createdAt" = "createdAt" - make_interval(secs => ${seconds}) WHERE "authorId" = ${userId}`;
  }

  describe("trust levels from activity", () => {
    it("promotes a member who read enough and watched lessons, never demotes, and leaves a locked level alone", async () => {
      const { prisma, admin } = await setUp();
      const ann = await member(prisma, "ann");
      // Reading alone: 5 topics, 30 posts, 5 minutes. Not enough time yet.
      await recordReading(prisma, ann.id, { topicsEntered: 5, postsRead: 30, seconds: 300 });
      expect((await prisma.user.findUniqueOrThrow({ where: { id: ann.id } })).trustLevel).toBe(0);
      expect((await myTrust(prisma, ann.id)).next?.rows.find((r) => r.label.startsWith("minutes"))).toMatchObject({ have: 5, need: 10, met: false });
      // Five minutes of a lesson's video make the ten; the next visit promotes.
      await prisma.lessonProgress.create({ data: { userId: ann.id, lessonSlug: "lesson-1", positionSeconds: 300 } });
      await recordVisit(prisma, ann.id);
      expect((await prisma.user.findUniqueOrThrow({ where: { id: ann.id } })).trustLevel).toBe(1);
      expect((await prisma.forumUserStat.findUniqueOrThrow({ where: { userId: ann.id } })).daysVisited).toBe(1);

      // An admin lowers and locks it: activity no longer moves it. Logged.
      await setTrustLevel(prisma, { userId: ann.id, level: 0, locked: true, reason: "testing the rules", actor: admin });
      await recordReading(prisma, ann.id, { postsRead: 100 });
      expect((await prisma.user.findUniqueOrThrow({ where: { id: ann.id } })).trustLevel).toBe(0);
      const log = await prisma.moderationLog.findMany({ where: { targetId: ann.id } });
      expect(log).toMatchObject([{ action: "user.trust-level", actorName: "ada", reason: "testing the rules", detail: { from: 1, to: 0, locked: true } }]);
      // Unlocked, promotion catches up at once.
      expect(await setTrustLevel(prisma, { userId: ann.id, level: 0, locked: false, actor: admin })).toEqual({ level: 1, locked: false });
      // Only admins set levels.
      expect((await refusal(setTrustLevel(prisma, { userId: ann.id, level: 4, locked: true, actor: { ...admin, role: "grader" } }))).code).toBe("FORBIDDEN");
    });

    it("counts a visit once a day, and promotes on a post (writing is a visit)", async () => {
      const { prisma, topic } = await setUp();
      const bob = await member(prisma, "bob");
      await prisma.forumUserStat.create({ data: { userId: bob.id, topicsEntered: 5, postsRead: 30, readSeconds: 600 } });
      await refreshTrustLevel(prisma, bob.id);
      expect((await prisma.user.findUniqueOrThrow({ where: { id: bob.id } })).trustLevel).toBe(0); // no day visited yet
      await replyToTopic(prisma, { topicId: topic.id, body: "Hello from Bob", author: bob });
      await recordVisit(prisma, bob.id);
      const stat = await prisma.forumUserStat.findUniqueOrThrow({ where: { userId: bob.id } });
      expect([stat.daysVisited, stat.postCount]).toEqual([1, 1]);
      expect((await prisma.user.findUniqueOrThrow({ where: { id: bob.id } })).trustLevel).toBe(1);
      await recordVisit(prisma, bob.id, new Date(Date.now() + 86_400_000));
      expect((await prisma.forumUserStat.findUniqueOrThrow({ where: { userId: bob.id } })).daysVisited).toBe(2);
    });

    it("promotes from reading a topic and from likes given and received, and tells the member once", async () => {
      const { prisma, grace, topic } = await setUp();
      const dee = await member(prisma, "dee");
      await prisma.user.update({ where: { id: dee.id }, data: { username: "dee" } });
      // Nearly level 1 from reading: the topic page's read tracking (markRead) brings the rest, and counts the visit.
      await prisma.forumUserStat.create({ data: { userId: dee.id, topicsEntered: 4, postsRead: 29, readSeconds: 600 } });
      await markRead(prisma, { userId: dee.id, topicId: topic.id, upToNumber: 1, seconds: 5 });
      expect((await prisma.user.findUniqueOrThrow({ where: { id: dee.id } })).trustLevel).toBe(1);
      const notes = await prisma.notification.findMany({ where: { userId: dee.id, kind: "forum-trust-level" } });
      expect(notes).toMatchObject([{ title: 'Your forum trust level is now 1 ("basic")', link: "/forum/u/dee" }]);
      expect(notes[0]!.body).toContain("edit wiki posts");

      // Level 2 needs likes given and received: a like each way promotes both members in the like's transaction.
      const eve = await member(prisma, "eve", { trustLevel: 1, ageDays: 40 });
      const level2 = { topicsEntered: 20, postsRead: 100, readSeconds: 3600, daysVisited: 10, postCount: 3 };
      await prisma.forumUserStat.create({ data: { userId: eve.id, ...level2 } });
      await prisma.forumUserStat.update({ where: { userId: dee.id }, data: { ...level2 } });
      await prisma.user.update({ where: { id: dee.id }, data: { createdAt: new Date(Date.now() - 40 * 86_400_000) } });
      const deePost = await replyToTopic(prisma, { topicId: topic.id, body: "Dee's answer", author: { ...dee, role: "student" } });
      const evePost = await replyToTopic(prisma, { topicId: topic.id, body: "Eve's answer", author: eve });
      await likePost(prisma, { postId: evePost.id, actor: dee });
      expect((await prisma.user.findUniqueOrThrow({ where: { id: dee.id } })).trustLevel).toBe(1); // received none yet
      await likePost(prisma, { postId: deePost.id, actor: eve });
      const levels = await prisma.user.findMany({ where: { id: { in: [dee.id, eve.id] } }, select: { name: true, trustLevel: true }, orderBy: { name: "asc" } });
      expect(levels).toEqual([{ name: "dee", trustLevel: 2 }, { name: "eve", trustLevel: 2 }]);
      expect(await prisma.notification.count({ where: { userId: dee.id, kind: "forum-trust-level" } })).toBe(2);
      // Reading more at the same level tells nobody again.
      await markRead(prisma, { userId: dee.id, topicId: topic.id, upToNumber: 3, seconds: 5 });
      expect(await prisma.notification.count({ where: { userId: dee.id, kind: "forum-trust-level" } })).toBe(2);
      // Graders like at level 4's daily limit whatever their stored level.
      expect(await likePost(prisma, { postId: deePost.id, actor: grace })).toMatchObject({ remaining: likesPerDay(4) - 1 });
    });

    it("counts opening a lesson as a visit, and its watched minutes as learning time", async () => {
      const { prisma } = await setUp();
      const cy = await member(prisma, "cy");
      await recordReading(prisma, cy.id, { topicsEntered: 5, postsRead: 30 }, new Date(Date.now() - 86_400_000));
      await openLesson(prisma, cy.id, "lesson-1");
      expect((await prisma.forumUserStat.findUniqueOrThrow({ where: { userId: cy.id } })).daysVisited).toBe(2);
      expect((await myTrust(prisma, cy.id)).level).toBe(0);
      await savePosition(prisma, cy.id, "lesson-1", 600);
      await openLesson(prisma, cy.id, "lesson-1");
      expect((await myTrust(prisma, cy.id)).level).toBe(1);
    });

    it("lets level 1 edit a wiki post, and refuses level 0 with the reason", async () => {
      const { prisma, grace } = await setUp();
      const wiki = await createTopic(prisma, { categorySlug: "general", title: "Lesson notes wiki", body: "Notes.\n", author: grace });
      await prisma.forumPost.update({ where: { id: wiki.postId }, data: { wiki: true } });
      const newbie = await member(prisma, "newbie");
      const basic = await member(prisma, "basic", { trustLevel: 1 });
      const tried = await refusal(editPost(prisma, { postId: wiki.postId, body: "Notes, improved.\n", baseRevision: 1, actor: newbie }));
      expect(tried).toMatchObject({ code: "FORBIDDEN", message: "Wiki posts can be edited by members from trust level 1: read and take part a little longer to get there." });
      expect(await editPost(prisma, { postId: wiki.postId, body: "Notes, improved.\n", baseRevision: 1, actor: basic })).toMatchObject({ status: "saved" });
    });
  });

  describe("rate limits (switched on)", () => {
    let before: string | undefined;
    beforeEach(() => {
      before = process.env.FORUM_RATE_LIMITS;
      process.env.FORUM_RATE_LIMITS = "on";
    });
    afterEach(() => {
      process.env.FORUM_RATE_LIMITS = before;
    });

    it("makes a new member wait 30 seconds between posts, and says how long is left", async () => {
      const { prisma, topic } = await setUp();
      const ann = await member(prisma, "ann");
      await replyToTopic(prisma, { topicId: topic.id, body: "First!", author: ann });
      await age(prisma, ann.id, 10);
      const r = await refusal(replyToTopic(prisma, { topicId: topic.id, body: "Second!", author: ann }));
      expect(r.code).toBe("TOO_MANY_REQUESTS");
      expect(r.message).toMatch(/^You are posting too quickly: members at trust level 0 \(new\) wait 30 seconds between posts\. You can post again in (19|20) seconds \(at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\)\.$/);
      expect(r.details).toMatchObject({ limit: "seconds-between-posts" });
      expect(r.details?.retryAfterSeconds).toBeGreaterThanOrEqual(19);
      // A level-1 member waits 10: 10 seconds later they may post.
      await prisma.user.update({ where: { id: ann.id }, data: { trustLevel: 1 } });
      await age(prisma, ann.id, 1);
      expect((await refusal(replyToTopic(prisma, { topicId: topic.id, body: "Second!", author: ann }))).code).toBe("resolved");
      // Graders are not rate limited.
      const grace = await prisma.user.findFirstOrThrow({ where: { role: "grader" } });
      const g = { id: grace.id, name: "grace", role: grace.role };
      await replyToTopic(prisma, { topicId: topic.id, body: "Mod one", author: g });
      await replyToTopic(prisma, { topicId: topic.id, body: "Mod two", author: g });
    });

    it("refuses the same text again within 5 minutes, whitespace and case aside", async () => {
      const { prisma, topic } = await setUp();
      const bob = await member(prisma, "bob", { trustLevel: 2 });
      await replyToTopic(prisma, { topicId: topic.id, body: "Try a smaller learning rate.", author: bob });
      await age(prisma, bob.id, 60);
      const r = await refusal(replyToTopic(prisma, { topicId: topic.id, body: "try a  smaller learning rate.\n", author: bob }));
      expect(r.code).toBe("TOO_MANY_REQUESTS");
      expect(r.message).toMatch(/^You posted the same text 1 min ago; write something different, or wait 5 minutes to post it again\. You can post again in 4 min \(at .* UTC\)\.$/);
      expect((await refusal(replyToTopic(prisma, { topicId: topic.id, body: "Try a learning rate of 1e-3.", author: bob }))).code).toBe("resolved");
      await age(prisma, bob.id, 300);
      expect((await refusal(replyToTopic(prisma, { topicId: topic.id, body: "Try a smaller learning rate.", author: bob }))).code).toBe("resolved");
    });

    it("limits topics per day by level, saying when the next one may start", async () => {
      const { prisma } = await setUp();
      const carl = await member(prisma, "carl");
      const max = LEVEL_LIMITS[0].topicsPerDay!;
      process.env.FORUM_RATE_LIMITS = "off";
      for (let i = 0; i < max; i++) await createTopic(prisma, { categorySlug: "general", title: `Question number ${i}`, body: `Body ${i}`, author: carl });
      process.env.FORUM_RATE_LIMITS = "on";
      await age(prisma, carl.id, 3600);
      const r = await refusal(createTopic(prisma, { categorySlug: "general", title: "One too many", body: "Body", author: carl }));
      expect(r.code).toBe("TOO_MANY_REQUESTS");
      expect(r.message).toMatch(/^Members at trust level 0 \(new\) may start at most 5 topics in 24 hours\. You can post again in 23 h \(at .* UTC\)\.$/);
      // Replies are not topics.
      expect((await refusal(replyToTopic(prisma, { topicId: (await prisma.forumTopic.findFirstOrThrow({ where: { authorId: carl.id } })).id, body: "A reply", author: carl }))).code).toBe("resolved");
    });

    it("caps a new account's first day: 3 topics and 10 replies until the day is over", async () => {
      const { prisma, topic } = await setUp();
      const dana = await member(prisma, "dana", { ageDays: 0.5 });
      process.env.FORUM_RATE_LIMITS = "off";
      for (let i = 0; i < FIRST_DAY.topics; i++) await createTopic(prisma, { categorySlug: "general", title: `First day topic ${i}`, body: `Body ${i}`, author: dana });
      for (let i = 0; i < FIRST_DAY.replies; i++) await replyToTopic(prisma, { topicId: topic.id, body: `Reply ${i}`, author: dana });
      process.env.FORUM_RATE_LIMITS = "on";
      await age(prisma, dana.id, 60);
      const t = await refusal(createTopic(prisma, { categorySlug: "general", title: "Fourth topic today", body: "Body", author: dana }));
      expect(t.code).toBe("TOO_MANY_REQUESTS");
      expect(t.message).toMatch(/^New accounts may start at most 3 topics in their first day\. You can post again in 12 h \(at .* UTC\)\.$/);
      const r = await refusal(replyToTopic(prisma, { topicId: topic.id, body: "Eleventh reply", author: dana }));
      expect(r.message).toMatch(/^New accounts may write at most 10 replies in their first day\. You can post again in 12 h /);
      // After the first day (or at level 1) the caps are gone.
      await prisma.user.update({ where: { id: dana.id }, data: { trustLevel: 1 } });
      expect((await refusal(replyToTopic(prisma, { topicId: topic.id, body: "Eleventh reply", author: dana }))).code).toBe("resolved");
    });

    it("counts concurrent posts of one member one after the other", async () => {
      const { prisma, topic } = await setUp();
      const eve = await member(prisma, "eve");
      const results = await Promise.all([1, 2, 3].map((i) => refusal(replyToTopic(prisma, { topicId: topic.id, body: `At once ${i}`, author: eve }))));
      expect(results.map((r) => r.code).sort()).toEqual(["TOO_MANY_REQUESTS", "TOO_MANY_REQUESTS", "resolved"]);
    });

    it("checks edits for content and silence, not for time", async () => {
      const { prisma, topic } = await setUp();
      const fay = await member(prisma, "fay");
      const reply = await replyToTopic(prisma, { topicId: topic.id, body: "Typo here", author: fay });
      expect(await editPost(prisma, { postId: reply.id, body: "No typo here", baseRevision: 1, actor: fay })).toMatchObject({ status: "saved" });
      const r = await refusal(editPost(prisma, { postId: reply.id, body: "https://a.example https://b.example https://c.example", baseRevision: 2, actor: fay }));
      expect(r).toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/at most 2 links to other sites/) as unknown });
    });
  });

  describe("content limits on the write paths", () => {
    it("refuses a new member's post with too many links, and takes it from level 1", async () => {
      const { prisma, topic } = await setUp();
      const gus = await member(prisma, "gus");
      const body = "See https://a.example, https://b.example and https://c.example";
      const r = await refusal(replyToTopic(prisma, { topicId: topic.id, body, author: gus }));
      expect(r).toMatchObject({ code: "BAD_REQUEST", details: { limit: "links-per-post", max: 2, count: 3 } });
      expect((await refusal(createTopic(prisma, { categorySlug: "general", title: "Useful links", body, author: gus }))).code).toBe("BAD_REQUEST");
      await prisma.user.update({ where: { id: gus.id }, data: { trustLevel: 1 } });
      expect((await refusal(replyToTopic(prisma, { topicId: topic.id, body, author: gus }))).code).toBe("resolved");
    });
  });

  describe("silence and suspend", () => {
    it("a silenced member reads but cannot post until unsilenced; logged, and told why", async () => {
      const { prisma, topic, grace, admin } = await setUp();
      const hal = await member(prisma, "hal", { trustLevel: 2 });
      const until = new Date(Date.now() + 3 * 86_400_000);
      await silenceUser(prisma, { userId: hal.id, until, reason: "Heated replies", actor: grace });
      const r = await refusal(replyToTopic(prisma, { topicId: topic.id, body: "Let me speak", author: hal }));
      expect(r.code).toBe("FORBIDDEN");
      expect(r.message).toMatch(/^You are silenced until \d{4}-\d\d-\d\d \d\d:\d\d UTC: you may read but not post\. Reason: Heated replies$/);
      expect((await refusal(checkPostAllowed(prisma, hal, { kind: "edit", raw: "x", rendered: renderMarkdown("x") }))).code).toBe("FORBIDDEN");
      const note = await prisma.notification.findFirstOrThrow({ where: { userId: hal.id, kind: "forum-moderation" } });
      expect(note.title).toMatch(/^You are silenced in the forum until /);
      // Graders cannot silence graders or admins, nor anyone themselves.
      expect((await refusal(silenceUser(prisma, { userId: admin.id, until, reason: "no", actor: grace }))).code).toBe("FORBIDDEN");
      expect((await refusal(silenceUser(prisma, { userId: hal.id, until: new Date(Date.now() - 1000), reason: "past", actor: grace }))).message).toBe("Choose a date and time in the future.");
      expect((await refusal(silenceUser(prisma, { userId: hal.id, until, reason: " ", actor: grace }))).code).toBe("BAD_REQUEST");
      await unsilenceUser(prisma, { userId: hal.id, reason: "Calmer now", actor: grace });
      expect((await refusal(replyToTopic(prisma, { topicId: topic.id, body: "Thanks", author: hal }))).code).toBe("resolved");
      const actions = (await prisma.moderationLog.findMany({ where: { targetId: hal.id }, orderBy: { createdAt: "asc" } })).map((l) => [l.action, l.actorName, l.reason]);
      expect(actions).toEqual([
        ["user.silence", "grace", "Heated replies"],
        ["user.unsilence", "grace", "Calmer now"],
      ]);
    });

    it("a suspended member is signed out everywhere, cannot sign in or post; only admins suspend", async () => {
      const { prisma, topic, grace, admin } = await setUp();
      const ivy = await createUser(prisma, { email: "ivy@example.com", name: "ivy", password: "correct horse battery staple 9" });
      const before = await prisma.user.findUniqueOrThrow({ where: { id: ivy.id } });
      const until = new Date(Date.now() + 7 * 86_400_000);
      expect((await refusal(suspendUser(prisma, { userId: ivy.id, until, reason: "Spam", actor: grace }))).code).toBe("FORBIDDEN");
      await suspendUser(prisma, { userId: ivy.id, until, reason: "Spam", actor: admin });
      const after = await prisma.user.findUniqueOrThrow({ where: { id: ivy.id } });
      expect(after.sessionVersion).toBe(before.sessionVersion + 1);
      const policy = { maxAttempts: 5, windowMinutes: 15 };
      await expect(authenticate(prisma, { email: "ivy@example.com", password: "correct horse battery staple 9" }, policy)).rejects.toThrow(/^This account is suspended until .* UTC\. Reason: Spam$/);
      // A wrong password still says only that.
      await expect(authenticate(prisma, { email: "ivy@example.com", password: "wrong" }, policy)).rejects.toThrow("Wrong email or password.");
      const r = await refusal(replyToTopic(prisma, { topicId: topic.id, body: "Still here", author: { id: ivy.id, name: "ivy", role: "student" } }));
      expect(r.message).toMatch(/^Your account is suspended until .* UTC and may not post\. Reason: Spam$/);
      expect((await prisma.moderationLog.findFirstOrThrow({ where: { targetId: ivy.id } })).action).toBe("user.suspend");
    });
  });
});
