"use client";

import { useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { Fragment, useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import { withQuery } from "~/lib/routes";
import type { PostView, PostWindow, TopicView } from "~/server/forum/read";
import { useTRPCClient } from "~/trpc/react";
import { useLiveChannel, type LiveEvent } from "../live/use-live-channel";
import { ForumComposer } from "./forum-composer";
import { ForumPost } from "./forum-post";
import { PostActions } from "./post-actions";
import { PromoteToNotes } from "./promote-to-notes";
import { SolvedAnswer } from "./solved-answer";
import styles from "./forum.module.css";

interface Props {
  topic: TopicView;
  initial: PostWindow;
  /** the post the page was opened at (`?post=`), 1 by default */
  target: number;
  signedIn: boolean;
  /** "Ask about this moment": the reply's opening text, and the query that brings it back after sign-in */
  prefill?: { text: string; query: string };
}

type Scroll = { kind: "to"; number: number } | { kind: "keep"; number: number; top: number };

/**
 * A topic's posts as the reader moves through it: a window of ~20 posts around where they opened it, loaded further
 * in either direction as they scroll near an end (or press "Load earlier/later"), and replaced by the window around
 * any post number or date they jump to. Only numbers travel: the page never holds the whole topic or a list of every
 * post, however long the topic is. Posts added above keep the reader's place (the post they were looking at stays
 * where it was on screen).
 */
export function TopicStream({ topic, initial, target: initialTarget, signedIn, prefill }: Props) {
  const client = useTRPCClient();
  const [posts, setPosts] = useState<PostView[]>(initial.posts);
  const [highest, setHighest] = useState(initial.highestPostNumber);
  const [target, setTarget] = useState(initialTarget);
  const [replyTo, setReplyTo] = useState<number | null>(null);
  const [loading, setLoading] = useState<"before" | "after" | "jump" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [armed, setArmed] = useState(false);
  const pendingScroll = useRef<Scroll | null>(initialTarget > 1 ? { kind: "to", number: initialTarget } : null);
  const top = useRef<HTMLDivElement>(null);
  const bottom = useRef<HTMLDivElement>(null);
  const composer = useRef<HTMLDivElement>(null);
  const busy = useRef(false);
  /** The highest post number heard of live: the "new replies" bar shows while it is beyond the window. */
  const [heard, setHeard] = useState(0);
  const router = useRouter();
  const queryClient = useQueryClient();

  const first = posts[0]?.number ?? 1;
  const last = posts[posts.length - 1]?.number ?? 0;
  const hasBefore = first > 1;
  const hasAfter = last < highest;

  const elementOf = (number: number) => document.getElementById(`p${number}`);

  useLayoutEffect(() => {
    const scroll = pendingScroll.current;
    if (!scroll) return;
    pendingScroll.current = null;
    const el = elementOf(scroll.number);
    if (!el) return;
    if (scroll.kind === "to") el.scrollIntoView({ block: "start" });
    else window.scrollBy(0, el.getBoundingClientRect().top - scroll.top);
  }, [posts]);

  const run = useCallback(async (kind: "before" | "after" | "jump", work: () => Promise<void>) => {
    if (busy.current) return;
    busy.current = true;
    setLoading(kind);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      busy.current = false;
      setLoading(null);
    }
  }, []);

  const loadBefore = useCallback(
    () =>
      run("before", async () => {
        const w = await client.forum.posts.query({ topicId: topic.id, before: first });
        // Keep the first post on screen where it is once the earlier ones are above it.
        const anchor = elementOf(first);
        if (anchor) pendingScroll.current = { kind: "keep", number: first, top: anchor.getBoundingClientRect().top };
        setHighest(w.highestPostNumber);
        setPosts((current) => [...w.posts.filter((p) => p.number < (current[0]?.number ?? Infinity)), ...current]);
      }),
    [client, topic.id, first, run],
  );

  const loadAfter = useCallback(
    () =>
      run("after", async () => {
        const w = await client.forum.posts.query({ topicId: topic.id, after: last });
        setHighest(w.highestPostNumber);
        setPosts((current) => [...current, ...w.posts.filter((p) => p.number > (current[current.length - 1]?.number ?? 0))]);
      }),
    [client, topic.id, last, run],
  );

  const jump = useCallback(
    (to: { around: number } | { date: Date }) =>
      run("jump", async () => {
        const w = await client.forum.posts.query({ topicId: topic.id, ...to });
        const number = w.target ?? w.first;
        setHighest(w.highestPostNumber);
        setTarget(number);
        pendingScroll.current = { kind: "to", number };
        setPosts(w.posts);
        window.history.replaceState(null, "", `${topic.url}?post=${number}#p${number}`);
      }),
    [client, topic.id, topic.url, run],
  );

  // A link to a post outside the window (`#p5000` on a page opened at the start) opens the window around it.
  useEffect(() => {
    const m = /^#p(\d+)$/.exec(window.location.hash);
    const wanted = m ? Number(m[1]) : null;
    if (wanted !== null && (wanted < first || wanted > last)) void jump({ around: wanted });
    else if (wanted !== null) elementOf(wanted)?.scrollIntoView({ block: "start" });
    setArmed(true);
    // Only once, for the address the page was opened with.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    if (!armed || typeof IntersectionObserver === "undefined") return;
    const observer = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          if (!entry.isIntersecting) continue;
          if (entry.target === top.current && hasBefore) void loadBefore();
          if (entry.target === bottom.current && hasAfter) void loadAfter();
        }
      },
      { rootMargin: "600px 0px" },
    );
    if (top.current) observer.observe(top.current);
    if (bottom.current) observer.observe(bottom.current);
    return () => observer.disconnect();
  }, [armed, hasBefore, hasAfter, loadBefore, loadAfter]);

  // Live: the topic's channel says what changed (numbers only); the stream refetches through the usual read.
  const live = useRef({ last, hasAfter, first, loadAfter });
  useEffect(() => {
    live.current = { last, hasAfter, first, loadAfter };
  });
  const refreshPost = useCallback(
    async (number: number) => {
      const w = await client.forum.posts.query({ topicId: topic.id, after: number - 1 });
      const fresh = w.posts.find((p) => p.number === number);
      // Replaced where it stands: its height may change, but the posts above it, and so the reader's place, do not.
      if (fresh) setPosts((current) => current.map((p) => (p.number === number ? fresh : p)));
      setHighest((h) => Math.max(h, w.highestPostNumber));
    },
    [client, topic.id],
  );
  const onLive = useCallback(
    (event: LiveEvent) => {
      const now = live.current;
      if (event.type === "post-created") {
        if (event.number <= now.last) return;
        setHighest((h) => Math.max(h, event.number));
        setHeard((h) => Math.max(h, event.number));
        // At the end of the topic and looking at its bottom: the new post goes below what they read, nothing moves.
        const edge = bottom.current?.getBoundingClientRect().top ?? Infinity;
        if (!now.hasAfter && edge < window.innerHeight + 200 && event.number === now.last + 1) void now.loadAfter();
      } else if (event.type === "post-updated") {
        if (event.number >= now.first && event.number <= now.last) void refreshPost(event.number).catch(() => {});
        if (event.change === "solved" || event.change === "deleted") router.refresh();
      } else if (event.type === "topic-updated") {
        router.refresh();
        void queryClient.invalidateQueries();
      }
    },
    [refreshPost, router, queryClient],
  );
  const onResync = useCallback(() => {
    router.refresh();
    void client.forum.posts
      .query({ topicId: topic.id, after: live.current.first - 1 })
      .then((w) => {
        setHighest(w.highestPostNumber);
        setPosts((current) => current.map((p) => w.posts.find((f) => f.number === p.number) ?? p));
      })
      .catch(() => {});
  }, [client, topic.id, router]);
  useLiveChannel([`topic:${topic.id}`], onLive, onResync);

  function showNew() {
    const from = last + 1;
    void run("after", async () => {
      const w = await client.forum.posts.query({ topicId: topic.id, after: last });
      setHighest(w.highestPostNumber);
      pendingScroll.current = { kind: "to", number: from };
      setPosts((current) => [...current, ...w.posts.filter((p) => p.number > (current[current.length - 1]?.number ?? 0))]);
    });
  }

  function onPosted(post: { number: number }) {
    setReplyTo(null);
    if (post.number - last <= 20 && !hasAfter) {
      void run("after", async () => {
        const w = await client.forum.posts.query({ topicId: topic.id, after: last });
        setHighest(w.highestPostNumber);
        pendingScroll.current = { kind: "to", number: post.number };
        setPosts((current) => [...current, ...w.posts.filter((p) => p.number > (current[current.length - 1]?.number ?? 0))]);
      });
    } else void jump({ around: post.number });
  }

  function startReply(number: number | null) {
    setReplyTo(number);
    requestAnimationFrame(() => {
      composer.current?.scrollIntoView({ block: "center" });
      composer.current?.querySelector("textarea")?.focus();
    });
  }

  return (
    <div className="stack">
      <JumpForm highest={highest} onJump={jump} busy={loading === "jump"} />
      {error ? (
        <p className="alert error" role="alert">
          {error}
        </p>
      ) : null}
      <div className={styles.stream} data-testid="topic-stream" data-first={first} data-last={last} data-highest={highest}>
        <div ref={top} />
        {hasBefore ? (
          <p className={styles.more}>
            <button type="button" className="button secondary" onClick={() => void loadBefore()} disabled={loading !== null}>
              {loading === "before" ? "Loading…" : `Load earlier posts (${first - 1} before)`}
            </button>
          </p>
        ) : null}
        {posts.map((post) => (
          <Fragment key={post.id}>
            <ForumPost
              post={post}
              topicUrl={topic.url}
              category={topic.category.slug}
              target={post.number === target && target > 1}
              canReply={topic.can.reply}
              onReply={startReply}
              onChanged={(updated) => setPosts((current) => current.map((p) => (p.id === updated.id ? updated : p)))}
              extraActions={
                <>
                  <PostActions post={post} topicUrl={topic.url} />
                  <PromoteToNotes post={post} topic={topic} />
                </>
              }
            />
            {post.number === 1 ? <SolvedAnswer /> : null}
          </Fragment>
        ))}
        {hasAfter ? (
          <p className={styles.more}>
            <button type="button" className="button secondary" onClick={() => void loadAfter()} disabled={loading !== null}>
              {loading === "after" ? "Loading…" : `Load later posts (${highest - last} after)`}
            </button>
          </p>
        ) : null}
        <div ref={bottom} />
      </div>
      {heard > last && loading === null ? (
        <button type="button" className={`button ${styles.newReplies}`} data-testid="new-replies" onClick={showNew}>
          {heard - last === 1 ? "1 new reply" : `${heard - last} new replies`}
        </button>
      ) : null}
      <div ref={composer}>
        {topic.can.reply ? (
          <ForumComposer mode={{ kind: "reply", topicId: topic.id, category: topic.category.slug, replyTo, onPosted, ...(replyTo ? { onCancel: () => setReplyTo(null) } : {}), ...(prefill ? { prefill: prefill.text } : {}) }} />
        ) : !signedIn ? (
          <p>
            <Link href={withQuery("/signin", { callbackUrl: prefill ? `${topic.url}?${prefill.query}` : topic.url })}>Sign in</Link> to reply.
          </p>
        ) : (
          <p className={styles.muted}>{topic.archived ? "This topic is archived." : topic.closed ? "This topic is closed: it takes no more replies." : "You cannot reply here."}</p>
        )}
      </div>
    </div>
  );
}

/** "Go to post #" and "Go to date": the window around that post, or around the first post written that day or later. */
function JumpForm({ highest, onJump, busy }: { highest: number; onJump: (to: { around: number } | { date: Date }) => void; busy: boolean }) {
  const [number, setNumber] = useState("");
  const [date, setDate] = useState("");
  if (highest <= 20) return null;
  return (
    <div className={styles.jump}>
      <form
        className={styles.jump}
        onSubmit={(e) => {
          e.preventDefault();
          const n = Number(number);
          if (Number.isInteger(n) && n >= 1) onJump({ around: n });
        }}
      >
        <label>
          Go to post{" "}
          <input type="number" min={1} max={highest} value={number} onChange={(e) => setNumber(e.target.value)} aria-label={`Post number, 1 to ${highest}`} />
        </label>
        <button type="submit" className="button secondary" disabled={busy}>
          Go
        </button>
      </form>
      <form
        className={styles.jump}
        onSubmit={(e) => {
          e.preventDefault();
          if (date) onJump({ date: new Date(`${date}T00:00:00Z`) });
        }}
      >
        <label>
          Go to date <input type="date" value={date} onChange={(e) => setDate(e.target.value)} aria-label="Date (UTC)" />
        </label>
        <button type="submit" className="button secondary" disabled={busy}>
          Go
        </button>
      </form>
      <span className={styles.muted}>{highest} posts</span>
    </div>
  );
}
