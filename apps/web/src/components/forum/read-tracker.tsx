"use client";

import { useEffect } from "react";
import { useTRPCClient } from "~/trpc/react";
import { useConversation } from "./conversation-context";

/** How often the page looks at what is on screen, and how often it tells the server (one batched markRead). */
const TICK_MS = 1000;
const SEND_MS = 4000;
/** Reading time counts while the reader moved, scrolled or typed within this long. */
const IDLE_MS = 60_000;

/**
 * Marks posts read as they scroll into view: every second it notes the highest post number on screen and a second of
 * reading (while the tab is visible and the reader is not idle), and every few seconds sends one markRead with both.
 * The server never moves the mark backwards, so several tabs can report at once.
 */
export function ReadTracker() {
  const context = useConversation();
  const client = useTRPCClient();
  const topicId = context?.topicId;
  const signedIn = context?.signedIn ?? false;
  const lastRead = context?.conversation.lastRead ?? 0;

  useEffect(() => {
    if (!signedIn || !topicId) return;
    let seen = lastRead;
    let sent = lastRead;
    let seconds = 0;
    let lastActive = Date.now();
    const active = () => {
      lastActive = Date.now();
    };
    const flush = () => {
      if (seen <= sent && seconds < 1) return;
      const batch = { topicId, upToNumber: seen, seconds };
      sent = seen;
      seconds = 0;
      void client.forumConversation.markRead.mutate(batch).catch(() => undefined);
    };
    const tick = () => {
      if (document.visibilityState !== "visible") return;
      for (const el of document.querySelectorAll<HTMLElement>('[data-testid="topic-stream"] article[data-number]')) {
        const rect = el.getBoundingClientRect();
        const number = Number(el.dataset.number);
        if (rect.top < window.innerHeight && rect.bottom > 0 && number > seen) seen = number;
      }
      if (Date.now() - lastActive < IDLE_MS) seconds += TICK_MS / 1000;
    };
    const onHide = () => {
      if (document.visibilityState === "hidden") flush();
    };
    const events = ["scroll", "mousemove", "keydown", "touchstart"] as const;
    for (const e of events) window.addEventListener(e, active, { passive: true });
    document.addEventListener("visibilitychange", onHide);
    window.addEventListener("pagehide", flush);
    tick();
    const ticking = setInterval(tick, TICK_MS);
    const sending = setInterval(flush, SEND_MS);
    return () => {
      clearInterval(ticking);
      clearInterval(sending);
      for (const e of events) window.removeEventListener(e, active);
      document.removeEventListener("visibilitychange", onHide);
      window.removeEventListener("pagehide", flush);
      flush();
    };
  }, [client, topicId, signedIn, lastRead]);

  return null;
}
