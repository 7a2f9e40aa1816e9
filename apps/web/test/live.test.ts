import { openDatabase, type Database } from "@course/db";
import { describe, expect, it, vi } from "vitest";
import type { PublicUser } from "~/server/auth/users";
import { liveBus, type LiveBus } from "~/server/live/bus";
import { authorizeChannels, MAX_CHANNELS_PER_CONNECTION, parseChannel, parseChannelList, topicChannel, userChannel, type LiveChannel } from "~/server/live/channels";
import { liveSlotsHeld, MAX_LIVE_STREAMS_PER_CLIENT } from "~/server/live/connection-limit";
import { LIVE_EVENT_TYPES, parseLiveEvent } from "~/server/live/events";
import { decodeLiveMessage, encodeLiveMessage, MAX_LIVE_PAYLOAD_BYTES, publish, publishMany, type LiveMessage } from "~/server/live/publish";
import { notify } from "~/server/notifications/notify";
import { eachBackend } from "./support/backends";

// The SSE route reads the session and the database through these two modules: the test decides both.
const current = vi.hoisted(() => ({ user: null as PublicUser | null, db: null as Database | null }));
vi.mock("~/server/auth/session", () => ({
  getCurrentUser: async () => current.user,
  requireUser: async () => {
    throw new Error("pages are not rendered in this test");
  },
}));
vi.mock("~/server/db", () => ({
  getDb: async () => {
    if (!current.db) throw new Error("no database");
    return current.db;
  },
}));

const { GET } = await import("~/app/api/live/route");

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Collects what a bus delivers to one subscriber, with a way to wait for the next message. */
async function collector(bus: LiveBus, channels: LiveChannel[]) {
  const messages: LiveMessage[] = [];
  let resyncs = 0;
  const unsubscribe = await bus.subscribe(channels, { onMessage: (m) => messages.push(m), onResync: () => resyncs++ });
  return {
    messages,
    get resyncs() {
      return resyncs;
    },
    unsubscribe,
    async waitFor(count: number, ms = 5000) {
      const deadline = Date.now() + ms;
      while (messages.length < count && Date.now() < deadline) await sleep(10);
      return messages;
    },
  };
}

describe("live channels and events", () => {
  it("parses channel names and refuses unknown kinds and odd ids", () => {
    expect(parseChannel("user:abc_1-2")).toEqual({ channel: "user:abc_1-2", kind: "user", id: "abc_1-2" });
    expect(() => parseChannel("forum:1")).toThrow(/Unknown live channel "forum:1".*user, topic/);
    expect(() => parseChannel("toString:1")).toThrow(/Unknown live channel/);
    expect(() => parseChannel("topic:")).toThrow(/needs an id/);
    expect(() => parseChannel("topic:a b")).toThrow(/needs an id/);
    expect(() => parseChannelList("")).toThrow(/Name the live channels/);
    expect(parseChannelList("topic:a, topic:a,user:b")).toEqual(["topic:a", "user:b"]);
    const many = Array.from({ length: MAX_CHANNELS_PER_CONNECTION + 1 }, (_, i) => `topic:t${i}`).join(",");
    expect(() => parseChannelList(many)).toThrow(/At most 16 live channels/);
    expect(() => userChannel("a,b")).toThrow(/database ids/);
  });

  it("checks events against the registry: known type, exactly its fields, the right channel kind, small", () => {
    expect(LIVE_EVENT_TYPES).toContain("notifications-changed");
    expect(parseLiveEvent({ type: "post-created", topicId: "t", postId: "p", number: 3 })).toEqual({ type: "post-created", topicId: "t", postId: "p", number: 3 });
    // No user text can ride along: extra fields are refused.
    expect(parseLiveEvent({ type: "post-created", topicId: "t", postId: "p", number: 3, body: "hello" })).toBeNull();
    expect(parseLiveEvent({ type: "nope" })).toBeNull();
    expect(() => encodeLiveMessage({ channel: "topic:t", event: { type: "notifications-changed" } })).toThrow(/go to user channels, not to topic:t/);
    expect(() => encodeLiveMessage({ channel: "wiki:x" as LiveChannel, event: { type: "notifications-changed" } })).toThrow(/Unknown live channel/);
    const wire = encodeLiveMessage({ channel: "user:u1", event: { type: "notifications-changed" } });
    expect(Buffer.byteLength(wire)).toBeLessThan(MAX_LIVE_PAYLOAD_BYTES);
    expect(decodeLiveMessage(wire)).toEqual({ channel: "user:u1", event: { type: "notifications-changed" } });
    expect(decodeLiveMessage("not json")).toBeNull();
    expect(decodeLiveMessage(JSON.stringify({ c: "user:u1", e: { type: "from-a-newer-version" } }))).toBeNull();
  });
});

eachBackend((db, backend) => {
  const student = () => db().prisma.user.create({ data: { email: `s-${Math.random()}@example.com`, name: "S" }, select: { id: true, email: true, name: true, role: true } });
  /** A forum topic row with a chosen id (topic channels are authorized against the topic). */
  async function topic(id: string, deleted = false) {
    const category = await db().prisma.forumCategory.upsert({ where: { slug: "live-test" }, create: { slug: "live-test", name: "Live test" }, update: {} });
    await db().prisma.forumTopic.create({ data: { id, categoryId: category.id, title: id, slug: id, ...(deleted ? { deletedAt: new Date() } : {}) } });
  }

  it("lets a user read only their own user channel, anyone a topic that exists, and only moderators a deleted one", async () => {
    await topic("t1");
    await topic("gone", true);
    const me = { id: "u1", email: "a@example.com", name: "A", role: "student" } as const satisfies PublicUser;
    const outcome = (viewer: PublicUser | null, channels: LiveChannel[]) =>
      authorizeChannels({ viewer, prisma: db().prisma }, channels).then(
        () => "ok",
        (error: { code?: string }) => error.code,
      );
    expect(await outcome(me, ["user:u1", "topic:t1"])).toBe("ok");
    expect(await outcome(me, ["user:u2"])).toBe("FORBIDDEN");
    expect(await outcome({ ...me, id: "admin", role: "admin" }, ["user:u1"])).toBe("FORBIDDEN");
    expect(await outcome(null, ["user:u1"])).toBe("UNAUTHORIZED");
    expect(await outcome(null, ["topic:t1"])).toBe("ok");
    expect(await outcome(null, ["topic:nope"])).toBe("NOT_FOUND");
    expect(await outcome(me, ["topic:gone"])).toBe("NOT_FOUND");
    expect(await outcome({ ...me, role: "grader" }, ["topic:gone"])).toBe("ok");
  });

  it("delivers an event published in a transaction only when it commits, and never one rolled back", async () => {
    const bus = liveBus(db());
    const got = await collector(bus, ["topic:t1"]);
    const other = await collector(bus, ["topic:t2"]);
    const event = { type: "post-created", topicId: "t1", postId: "p1", number: 2 } as const;
    let seenInside = -1;
    await db().prisma.$transaction(async (tx) => {
      await publish(tx, topicChannel("t1"), event);
      await sleep(300);
      seenInside = got.messages.length;
    });
    expect(seenInside).toBe(0);
    expect(await got.waitFor(1)).toEqual([{ channel: "topic:t1", event }]);

    await expect(
      db().prisma.$transaction(async (tx) => {
        await publish(tx, "topic:t1", { ...event, number: 3 });
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    // Something after it arrives, so the rolled-back one had every chance to arrive first.
    await publish(db().prisma, "topic:t1", { ...event, number: 4 });
    expect((await got.waitFor(2)).map((m) => (m.event.type === "post-created" ? m.event.number : 0))).toEqual([2, 4]);
    expect(other.messages).toEqual([]);
    got.unsubscribe();
    other.unsubscribe();
    expect(bus.subscriberCount).toBe(0);
  });

  it("tells a user's open pages when notify() creates a notification for them, after commit, once per recipient", async () => {
    const [a, b, c] = await Promise.all([student(), student(), student()]);
    await db().prisma.notificationPreference.create({ data: { userId: c.id, kind: "wiki-page-changed", inApp: false, email: false } });
    const bus = liveBus(db());
    const heard = await collector(bus, [userChannel(a.id), userChannel(b.id), userChannel(c.id)]);
    const data = { title: "Page changed", body: "", link: "/wiki/Page" };
    await db().prisma.$transaction(async (tx) => {
      expect(await notify(tx, [a.id, b.id, c.id], "wiki-page-changed", data, { dedupeKey: "k1" })).toBe(2);
    });
    await heard.waitFor(2);
    await sleep(200);
    expect(heard.messages.map((m) => m.channel).sort()).toEqual([userChannel(a.id), userChannel(b.id)].sort());
    expect(heard.messages.every((m) => m.event.type === "notifications-changed")).toBe(true);
    // A retried write creates nothing and tells nobody; a rolled-back one neither.
    await db().prisma.$transaction((tx) => notify(tx, [a.id], "wiki-page-changed", data, { dedupeKey: "k1" }));
    await expect(
      db().prisma.$transaction(async (tx) => {
        await notify(tx, [a.id], "wiki-page-changed", data, { dedupeKey: "k2" });
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    await sleep(300);
    expect(heard.messages).toHaveLength(2);
    heard.unsubscribe();
  });

  it("publishes many events in one statement", async () => {
    const bus = liveBus(db());
    const got = await collector(bus, ["topic:a", "topic:b"]);
    await publishMany(db().prisma, [
      { channel: "topic:a", event: { type: "topic-updated", topicId: "a" } },
      { channel: "topic:b", event: { type: "topic-updated", topicId: "b" } },
    ]);
    expect((await got.waitFor(2)).map((m) => m.channel).sort()).toEqual(["topic:a", "topic:b"]);
    got.unsubscribe();
  });

  describe("the SSE route", () => {
    /** Reads the stream until `until` matches what arrived, or times out. */
    async function reader(res: Response) {
      const stream = res.body!.getReader();
      const decoder = new TextDecoder();
      let text = "";
      return {
        get text() {
          return text;
        },
        async until(pattern: RegExp, ms = 5000) {
          const deadline = Date.now() + ms;
          while (!pattern.test(text)) {
            const left = deadline - Date.now();
            if (left <= 0) throw new Error(`no ${String(pattern)} in ${JSON.stringify(text)}`);
            const chunk = await Promise.race([stream.read(), sleep(left).then(() => null)]);
            if (!chunk) continue;
            if (chunk.done) throw new Error(`the stream ended before ${String(pattern)}: ${JSON.stringify(text)}`);
            text += decoder.decode(chunk.value, { stream: true });
          }
          return text;
        },
        cancel: () => stream.cancel(),
      };
    }
    const get = (query: string, signal?: AbortSignal) => GET(new Request(`http://localhost/api/live?${query}`, { signal }));

    it("answers 400 for unknown or malformed channels, 401 and 403 for user channels not one's own", async () => {
      const s = await student();
      current.db = db();
      current.user = null;
      expect((await get("channels=forum:1")).status).toBe(400);
      expect((await get("")).status).toBe(400);
      expect((await get(`channels=user:${s.id}`)).status).toBe(401);
      current.user = await student();
      expect((await get(`channels=user:${s.id}`)).status).toBe(403);
      expect(await (await get(`channels=user:${s.id}`)).json()).toEqual({ error: "You can only receive your own live updates." });
    });

    it("streams a user's own events and public ones, with retry, ready and headers that stop buffering", async () => {
      const s = await student();
      current.db = db();
      current.user = s;
      await topic("t9");
      const abort = new AbortController();
      const res = await get(`channels=${encodeURIComponent(`user:${s.id},topic:t9`)}`, abort.signal);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
      expect(res.headers.get("cache-control")).toBe("no-store, no-transform");
      const stream = await reader(res);
      await stream.until(/event: ready\ndata: \{"channels":\["user:[^"]+","topic:t9"\]\}\n\n/);
      expect(stream.text).toMatch(/^retry: \d+\n\n/);
      await db().prisma.$transaction((tx) => notify(tx, s.id, "wiki-page-changed", { title: "T", body: "", link: "/wiki/T" }));
      await stream.until(new RegExp(`data: \\{"channel":"user:${s.id}","event":\\{"type":"notifications-changed"\\}\\}\n\n`));
      await publish(db().prisma, "topic:t9", { type: "topic-updated", topicId: "t9" });
      await stream.until(/data: \{"channel":"topic:t9","event":\{"type":"topic-updated","topicId":"t9"\}\}\n\n/);
      // Another topic's events are not sent.
      await publish(db().prisma, "topic:other", { type: "topic-updated", topicId: "other" });
      await sleep(200);
      expect(stream.text).not.toMatch(/topic:other/);
      const bus = liveBus(db());
      expect(bus.subscriberCount).toBe(1);
      // The browser leaves: the subscription ends.
      abort.abort();
      await stream.cancel();
      expect(bus.subscriberCount).toBe(0);
    });

    it("holds at most MAX_LIVE_STREAMS_PER_CLIENT streams per user, and frees a slot when a stream ends", async () => {
      const s = await student();
      current.db = db();
      current.user = s;
      const streams = [];
      for (let i = 0; i < MAX_LIVE_STREAMS_PER_CLIENT; i++) {
        const res = await get(`channels=user:${s.id}`);
        expect(res.status).toBe(200);
        streams.push(await reader(res));
      }
      const refused = await get(`channels=user:${s.id}`);
      expect(refused.status).toBe(429);
      expect(refused.headers.get("retry-after")).toBe("30");
      expect((await refused.json()).error).toMatch(/^At most 16 live connections at once: close some tabs/);
      // Another user is not affected; one of this user's streams ending frees its slot.
      current.user = await student();
      const other = await get(`channels=user:${current.user.id}`);
      expect(other.status).toBe(200);
      await (await reader(other)).cancel();
      current.user = s;
      await streams.pop()!.cancel();
      expect(liveSlotsHeld(`user:${s.id}`)).toBe(MAX_LIVE_STREAMS_PER_CLIENT - 1);
      const again = await get(`channels=user:${s.id}`);
      expect(again.status).toBe(200);
      streams.push(await reader(again));
      for (const stream of streams) await stream.cancel();
      expect(liveSlotsHeld(`user:${s.id}`)).toBe(0);
    });

    it("lets anonymous visitors follow public channels", async () => {
      current.db = db();
      current.user = null;
      await topic("open");
      const res = await get("channels=topic:open");
      expect(res.status).toBe(200);
      const stream = await reader(res);
      await stream.until(/event: ready/);
      await publish(db().prisma, "topic:open", { type: "post-created", topicId: "open", postId: "p", number: 5 });
      await stream.until(/"number":5/);
      await stream.cancel();
      expect(liveBus(db()).subscriberCount).toBe(0);
    });
  });

  if (backend !== "postgresql") return;

  describe("two web instances on one PostgreSQL database", () => {
    it("delivers an event committed on one instance to the other's subscribers, after commit, not on rollback", async () => {
      // Another Database handle with its own pool and LISTEN connection: what a second web process has.
      const second = await openDatabase(db().config);
      try {
        const one = liveBus(db());
        const two = liveBus(second);
        expect(one).not.toBe(two);
        const onTwo = await collector(two, ["topic:shared"]);
        const onOne = await collector(one, ["topic:shared"]);
        const event = { type: "post-created", topicId: "shared", postId: "p", number: 7 } as const;
        let seenInside = -1;
        await db().prisma.$transaction(async (tx) => {
          await publish(tx, "topic:shared", event);
          await sleep(300);
          seenInside = onTwo.messages.length;
        });
        expect(seenInside).toBe(0);
        expect(await onTwo.waitFor(1)).toEqual([{ channel: "topic:shared", event }]);
        expect(await onOne.waitFor(1)).toEqual([{ channel: "topic:shared", event }]);

        await expect(
          second.prisma.$transaction(async (tx) => {
            await publish(tx, "topic:shared", { ...event, number: 8 });
            throw new Error("roll back");
          }),
        ).rejects.toThrow("roll back");
        // And the other way round, from the second instance's write.
        await second.prisma.$transaction((tx) => publish(tx, "topic:shared", { ...event, number: 9 }));
        const numbers = (c: typeof onOne) => c.messages.map((m) => (m.event.type === "post-created" ? m.event.number : 0));
        await onOne.waitFor(2);
        await onTwo.waitFor(2);
        expect([numbers(onOne), numbers(onTwo)]).toEqual([
          [7, 9],
          [7, 9],
        ]);
        onOne.unsubscribe();
        onTwo.unsubscribe();
      } finally {
        await second.close();
      }
    });

    it("reconnects a lost LISTEN connection with backoff and tells subscribers to resync", async () => {
      const second = await openDatabase(db().config);
      try {
        const bus = liveBus(second);
        const got = await collector(bus, ["topic:r"]);
        const listeners = () =>
          db().prisma.$queryRaw<{ pid: number }[]>`SELECT pid FROM pg_stat_activity WHERE application_name = 'course-live-listener' AND datname = current_database()`;
        const before = await listeners();
        expect(before.length).toBeGreaterThanOrEqual(1);
        // What a database restart or a dropped network does to the connection.
        await db().prisma.$queryRaw`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'course-live-listener' AND datname = current_database()`;
        const deadline = Date.now() + 10_000;
        while (got.resyncs === 0 && Date.now() < deadline) await sleep(50);
        expect(got.resyncs).toBeGreaterThanOrEqual(1);
        await publish(db().prisma, "topic:r", { type: "topic-updated", topicId: "r" });
        expect(await got.waitFor(1)).toEqual([{ channel: "topic:r", event: { type: "topic-updated", topicId: "r" } }]);
        got.unsubscribe();
      } finally {
        await second.close();
      }
    });
  });
});
