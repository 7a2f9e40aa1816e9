import { loadCourse, loadForumCategories } from "@course/content";
import { findRepoRoot, type Database, type PrismaClient, type Role } from "@course/db";
import path from "node:path";
import { expect, it } from "vitest";
import { DomainError } from "~/server/errors";
import { syncForumCategories } from "~/server/forum/categories";
import { cookPost } from "~/server/forum/cook";
import { likePost } from "~/server/forum/likes";
import type { ForumActor } from "~/server/forum/permissions";
import { deletePost, editPost, insertPostIn, replyToTopic } from "~/server/forum/posts";
import { markSolved } from "~/server/forum/solved";
import { createTopic, deleteTopic, setTopicState, updateTopic } from "~/server/forum/topics";
import { liveBus } from "~/server/live/bus";
import { authorizeChannels, topicChannel, userChannel, type LiveChannel } from "~/server/live/channels";
import type { LiveMessage } from "~/server/live/publish";
import { topicViewTag } from "~/server/page-cache";
import { eachBackend } from "./support/backends";

const root = findRepoRoot();
const course = await loadCourse(path.join(root, "content"));
const categories = await loadForumCategories(path.join(root, "content"), course.lessons);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

eachBackend((get: () => Database) => {
  async function member(prisma: PrismaClient, name: string, role: Role = "student"): Promise<ForumActor> {
    const u = await prisma.user.create({ data: { email: `${name}@example.com`, name, role, username: name } });
    return { id: u.id, name, role };
  }
  async function listen(channels: LiveChannel[]) {
    const messages: LiveMessage[] = [];
    const stop = await liveBus(get()).subscribe(channels, { onMessage: (m) => messages.push(m) });
    return {
      messages,
      stop,
      async until(test: (m: LiveMessage[]) => boolean, ms = 5000) {
        const deadline = Date.now() + ms;
        while (!test(messages) && Date.now() < deadline) await sleep(10);
        return messages;
      },
    };
  }
  async function setUp() {
    const { prisma } = get();
    await syncForumCategories(prisma, categories);
    const ann = await member(prisma, "ann");
    const bob = await member(prisma, "bob");
    const grace = await member(prisma, "grace", "grader");
    const topic = await createTopic(prisma, { categorySlug: "homework-help", title: "Why does my loss explode?", body: "It goes to NaN.", author: ann });
    return { prisma, ann, bob, grace, topic };
  }

  it("a reply publishes post-created only once its transaction commits, and tells the topic's watchers to refetch unread counts", async () => {
    const { prisma, ann, bob, topic } = await setUp();
    const heard = await listen([topicChannel(topic.id), userChannel(ann.id), userChannel(bob.id)]);
    const cooked = await cookPost(prisma, "Lower the learning rate.");
    let inside = -1;
    const post = await prisma.$transaction(async (tx) => {
      const p = await insertPostIn(tx, { topicId: topic.id, author: bob, body: "Lower the learning rate.", cooked });
      await sleep(300);
      inside = heard.messages.length;
      return p;
    });
    expect(inside).toBe(0);
    await heard.until((m) => m.some((x) => x.event.type === "post-created") && m.some((x) => x.event.type === "forum-unread-changed"));
    await expect(
      prisma.$transaction(async (tx) => {
        await insertPostIn(tx, { topicId: topic.id, author: bob, body: "Rolled back", cooked });
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    await replyToTopic(prisma, { topicId: topic.id, body: "And normalise the inputs.", author: bob });
    await heard.until((m) => m.filter((x) => x.event.type === "post-created").length >= 2);
    await sleep(100);
    const created = heard.messages.filter((m) => m.event.type === "post-created");
    expect(created.map((m) => m.event)).toEqual([
      { type: "post-created", topicId: topic.id, postId: post.id, number: 2 },
      { type: "post-created", topicId: topic.id, postId: expect.any(String), number: 3 },
    ]);
    // Ann created the topic (watching) and hears of new posts; Bob wrote them and does not.
    const unread = heard.messages.filter((m) => m.event.type === "forum-unread-changed");
    expect(unread.every((m) => m.channel === userChannel(ann.id))).toBe(true);
    expect(unread.length).toBeGreaterThanOrEqual(1);
    heard.stop();
  });

  it("edits, likes, deletes and the solved mark publish post-updated with what changed", async () => {
    const { prisma, ann, bob, grace, topic } = await setUp();
    const reply = await replyToTopic(prisma, { topicId: topic.id, body: "Try gradient clipping.", author: bob });
    const heard = await listen([topicChannel(topic.id)]);
    const saved = await editPost(prisma, { postId: reply.id, body: "Try gradient clipping at 1.0.", baseRevision: 1, actor: bob });
    expect(saved.status).toBe("saved");
    await likePost(prisma, { postId: reply.id, actor: ann });
    await markSolved(prisma, { postId: reply.id, actor: grace });
    await deletePost(prisma, { postId: reply.id, actor: grace });
    // The reply's own post-created may still be on its way when the subscription starts.
    const updates = () => heard.messages.map((m) => m.event).filter((e) => e.type !== "post-created");
    await heard.until(() => updates().length >= 5);
    await sleep(100);
    expect(updates()).toEqual([
      { type: "post-updated", topicId: topic.id, postId: reply.id, number: 2, change: "edited" },
      { type: "post-updated", topicId: topic.id, postId: reply.id, number: 2, change: "liked" },
      { type: "post-updated", topicId: topic.id, postId: reply.id, number: 2, change: "solved" },
      { type: "topic-updated", topicId: topic.id },
      { type: "post-updated", topicId: topic.id, postId: reply.id, number: 2, change: "deleted" },
    ]);
    heard.stop();
  });

  it("lets anyone receive a topic's channel, but a deleted topic's only moderators", async () => {
    const { prisma, ann, bob, grace, topic } = await setUp();
    const asUser = (u: ForumActor | null) => (u ? { id: u.id, name: u.name, email: `${u.name}@example.com`, role: u.role } : null);
    await expect(authorizeChannels({ prisma, viewer: null }, [topicChannel(topic.id)])).resolves.toBeUndefined();
    await deleteTopic(prisma, { topicId: topic.id, actor: grace });
    const code = (p: Promise<unknown>) => p.then(() => "ok", (e: unknown) => (e instanceof DomainError ? e.code : String(e)));
    expect(await code(authorizeChannels({ prisma, viewer: asUser(bob) }, [topicChannel(topic.id)]))).toBe("NOT_FOUND");
    expect(await code(authorizeChannels({ prisma, viewer: asUser(ann) }, [topicChannel(topic.id)]))).toBe("NOT_FOUND");
    expect(await code(authorizeChannels({ prisma, viewer: asUser(grace) }, [topicChannel(topic.id)]))).toBe("ok");
    expect(await code(authorizeChannels({ prisma, viewer: null }, [topicChannel("nosuchtopic")]))).toBe("NOT_FOUND");
  });

  it("every write a topic's readers hear of drops the topic's cached anonymous view, at commit in this process, and nothing else's", async () => {
    const { prisma, ann, bob, grace, topic } = await setUp();
    const other = await createTopic(prisma, { categorySlug: "general", title: "Another topic", body: "Elsewhere.", author: bob });
    const hook = Symbol.for("course.pageCache");
    const dropped: string[][] = [];
    const g = globalThis as { [hook]?: { invalidate(tags: readonly string[]): void } };
    const before = g[hook];
    g[hook] = { invalidate: (tags) => void dropped.push([...tags]) };
    const drops = async (write: () => Promise<unknown>) => {
      dropped.length = 0;
      await write();
      return dropped.flat();
    };
    const mine = [topicViewTag(topic.id)];
    try {
      const reply = await replyToTopic(prisma, { topicId: topic.id, body: "Lower the learning rate.", author: bob });
      expect(dropped.flat()).toEqual(mine);
      expect(await drops(() => editPost(prisma, { postId: reply.id, body: "Lower the learning rate a lot.", baseRevision: 1, actor: bob }))).toEqual(mine);
      expect(await drops(() => likePost(prisma, { postId: reply.id, actor: ann }))).toEqual(mine);
      expect(await drops(() => markSolved(prisma, { postId: reply.id, actor: ann }))).toEqual(mine);
      expect(await drops(() => setTopicState(prisma, { topicId: topic.id, state: "closed", on: true, actor: grace }))).toEqual(mine);
      expect(await drops(() => updateTopic(prisma, { topicId: topic.id, title: "Why does my loss explode at step 3?", actor: ann }))).toEqual(mine);
      expect(await drops(() => deletePost(prisma, { postId: reply.id, actor: grace, reason: "" }))).toEqual(mine);
      expect(await drops(() => deleteTopic(prisma, { topicId: topic.id, actor: grace }))).toEqual(mine);
      // A refused write drops nothing; the other topic's view is only ever dropped by its own writes.
      expect(await drops(() => replyToTopic(prisma, { topicId: other.id, body: "", author: ann }).catch(() => undefined))).toEqual([]);
      expect(await drops(() => replyToTopic(prisma, { topicId: other.id, body: "Here too.", author: ann }))).toEqual([topicViewTag(other.id)]);
    } finally {
      g[hook] = before;
    }
  });
});
