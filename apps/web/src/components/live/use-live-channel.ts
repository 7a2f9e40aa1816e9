"use client";

import { useEffect, useRef } from "react";
import type { LiveChannel } from "~/server/live/channels";
import type { LiveEvent } from "~/server/live/events";

export type { LiveChannel, LiveEvent };

interface Listener {
  channels: ReadonlySet<string>;
  onEvent(event: LiveEvent, channel: LiveChannel): void;
  onResync(): void;
}

/** A hidden tab keeps its connection this long, then lets it go (browsers allow few connections per site). */
const HIDDEN_GRACE_MS = 60_000;

/**
 * The page's one connection to /api/live, shared by every useLiveChannel on it: it asks for the union of their
 * channels and hands each event to those who asked for its channel. A browser allows only a few open connections
 * per site over HTTP/1.1, so components never open their own.
 */
class LiveConnection {
  readonly #listeners = new Set<Listener>();
  #source: EventSource | null = null;
  #url: string | null = null;
  /** The connection being replaced: it keeps delivering until the new one is ready, so a change of channels loses nothing. */
  #previous: EventSource | null = null;
  #scheduled = false;
  #retry: ReturnType<typeof setTimeout> | null = null;
  #hiddenTimer: ReturnType<typeof setTimeout> | null = null;
  #suspended = false;
  #attempt = 0;

  constructor() {
    document.addEventListener("visibilitychange", () => this.#visibility());
  }

  add(listener: Listener): () => void {
    this.#listeners.add(listener);
    this.#schedule();
    return () => {
      this.#listeners.delete(listener);
      this.#schedule();
    };
  }

  /** Several components mount in one render: open once for all of them. */
  #schedule() {
    if (this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(() => {
      this.#scheduled = false;
      this.#sync();
    });
  }

  #wanted(): string | null {
    const channels = new Set<string>();
    for (const l of this.#listeners) for (const c of l.channels) channels.add(c);
    if (channels.size === 0) return null;
    return `/api/live?channels=${encodeURIComponent([...channels].sort().join(","))}`;
  }

  #sync() {
    const url = this.#suspended ? null : this.#wanted();
    if (url === this.#url && (url === null || this.#source || this.#retry)) return;
    this.#url = url;
    if (this.#retry) clearTimeout(this.#retry);
    this.#retry = null;
    if (url === null) {
      this.#close();
      return;
    }
    // Keep the open one until the new one is ready (see #previous).
    if (this.#source) {
      this.#previous?.close();
      this.#previous = this.#source;
    }
    this.#open(url);
  }

  #open(url: string) {
    const source = new EventSource(url);
    this.#source = source;
    source.onmessage = (e: MessageEvent<string>) => {
      if (source !== this.#source && source !== this.#previous) return;
      let message: { channel: LiveChannel; event: LiveEvent };
      try {
        message = JSON.parse(e.data) as { channel: LiveChannel; event: LiveEvent };
      } catch {
        return;
      }
      for (const l of this.#listeners) if (l.channels.has(message.channel)) l.onEvent(message.event, message.channel);
    };
    // Subscribed: from now on nothing is missed. What changed before it (since the page read its data, or while the
    // connection was down) is re-read by everyone, which is also what `resync` (the server's own gap) asks for.
    source.addEventListener("ready", () => {
      if (source !== this.#source) return;
      this.#attempt = 0;
      this.#previous?.close();
      this.#previous = null;
      this.#resync();
    });
    source.addEventListener("resync", () => {
      if (source === this.#source) this.#resync();
    });
    source.onerror = () => {
      if (source !== this.#source) return;
      // CONNECTING: the browser reconnects by itself (after the server's `retry:`). CLOSED: it gave up (an error
      // status such as 503 or 403): try again ourselves, backing off to a minute.
      if (source.readyState !== EventSource.CLOSED) return;
      this.#source = null;
      const delay = Math.min(60_000, 1000 * 2 ** this.#attempt) * (0.5 + Math.random() / 2);
      this.#attempt++;
      this.#retry = setTimeout(() => {
        this.#retry = null;
        if (this.#url) this.#open(this.#url);
      }, delay);
    };
  }

  #close() {
    this.#source?.close();
    this.#previous?.close();
    this.#source = null;
    this.#previous = null;
  }

  #resync() {
    for (const l of this.#listeners) l.onResync();
  }

  #visibility() {
    if (document.visibilityState === "hidden") {
      this.#hiddenTimer ??= setTimeout(() => {
        this.#hiddenTimer = null;
        this.#suspended = true;
        this.#sync();
      }, HIDDEN_GRACE_MS);
      return;
    }
    if (this.#hiddenTimer) clearTimeout(this.#hiddenTimer);
    this.#hiddenTimer = null;
    if (!this.#suspended) return;
    // Back in view: reconnect; its `ready` re-reads what changed meanwhile.
    this.#suspended = false;
    this.#sync();
  }
}

let connection: LiveConnection | null = null;

/**
 * Live updates for a client component: `onEvent(event, channel)` runs for each event published on `channels` (see
 * README "Live updates"), and `onResync()` whenever events may have been missed (the first connection, a reconnect,
 * the tab coming back into view): re-read what the component shows. Events are hints with ids; fetch the content
 * through the usual reads. An empty list (e.g. while signed out) subscribes to nothing.
 */
export function useLiveChannel(
  channels: readonly LiveChannel[],
  onEvent: (event: LiveEvent, channel: LiveChannel) => void,
  onResync: () => void = () => {},
): void {
  const handlers = useRef({ onEvent, onResync });
  useEffect(() => {
    handlers.current = { onEvent, onResync };
  });
  const key = [...new Set(channels)].sort().join(",");
  useEffect(() => {
    if (!key || typeof EventSource === "undefined") return;
    connection ??= new LiveConnection();
    return connection.add({
      channels: new Set(key.split(",")),
      onEvent: (event, channel) => handlers.current.onEvent(event, channel),
      onResync: () => handlers.current.onResync(),
    });
  }, [key]);
}
