"use client";

import { useDeferredValue, useEffect, useId, useMemo, useRef, useState, type ReactNode } from "react";
import type { TimedItem } from "./chapter-timeline";
import { askMomentPath } from "~/lib/ask-moment";
import { useLessonPlayer } from "./lesson-player";
import { indexAt } from "./time-links";
import styles from "./lesson.module.css";

export type TranscriptCue = TimedItem & { end: number; text: string };

/** After the reader scrolls the transcript themselves, it stops following playback for this long. */
const USER_SCROLL_PAUSE_MS = 5_000;

function highlight(text: string, query: string): ReactNode {
  if (!query) return text;
  const lower = text.toLowerCase();
  const parts: ReactNode[] = [];
  let from = 0;
  for (let at = lower.indexOf(query, from); at >= 0; at = lower.indexOf(query, from)) {
    if (at > from) parts.push(text.slice(from, at));
    parts.push(<mark key={at}>{text.slice(at, at + query.length)}</mark>);
    from = at + query.length;
  }
  if (from < text.length) parts.push(text.slice(from));
  return parts;
}

/**
 * The transcript beside the video: the cue being spoken is marked and kept in view (unless the reader scrolled
 * in the last few seconds), a search box filters the cues and highlights the matches, and every cue seeks.
 */
export function TranscriptPanel({ cues, slug, forumThread }: { cues: TranscriptCue[]; slug: string; forumThread?: string }) {
  const ctx = useLessonPlayer();
  const [query, setQuery] = useState("");
  const deferred = useDeferredValue(query.trim().toLowerCase());
  const list = useRef<HTMLOListElement>(null);
  const userScrolledAt = useRef(0);
  const autoScrolling = useRef(false);
  const searchId = useId();
  const current = indexAt(cues, ctx?.time ?? 0);

  const shown = useMemo(
    () => cues.map((cue, index) => ({ cue, index })).filter(({ cue }) => !deferred || cue.text.toLowerCase().includes(deferred)),
    [cues, deferred],
  );

  useEffect(() => {
    const box = list.current;
    if (!box || current < 0 || deferred) return;
    if (Date.now() - userScrolledAt.current < USER_SCROLL_PAUSE_MS) return;
    const item = box.querySelector<HTMLElement>(`[data-cue="${current}"]`);
    if (!item) return;
    const top = item.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop;
    if (top >= box.scrollTop && top + item.offsetHeight <= box.scrollTop + box.clientHeight) return;
    autoScrolling.current = true;
    box.scrollTo({ top: Math.max(0, top - box.clientHeight / 3) });
    // The scroll event of our own scroll arrives asynchronously; do not mistake it for the reader's.
    window.setTimeout(() => (autoScrolling.current = false), 100);
  }, [current, deferred]);

  const onUserScroll = () => {
    if (!autoScrolling.current) userScrolledAt.current = Date.now();
  };

  if (cues.length === 0) return null;
  return (
    <section className={styles.transcript} aria-labelledby="transcript-heading">
      <div className={styles.transcriptHeader}>
        <h2 id="transcript-heading" className={styles.panelHeading}>
          Transcript
        </h2>
        <a href={`/lessons/${slug}/transcript`} className={styles.small}>
          Transcript-only page
        </a>
      </div>
      <label htmlFor={searchId} className={styles.visuallyHidden}>
        Search the transcript
      </label>
      <input
        id={searchId}
        type="search"
        className={styles.search}
        placeholder="Search the transcript"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "ArrowDown" || e.key === "Enter") {
            e.preventDefault();
            list.current?.querySelector<HTMLButtonElement>("button")?.focus();
          }
        }}
        aria-controls={`${searchId}-cues`}
      />
      <p className={styles.small} aria-live="polite" data-testid="transcript-count">
        {deferred ? `${shown.length} ${shown.length === 1 ? "line matches" : "lines match"} “${query.trim()}”` : ""}
      </p>
      <ol
        id={`${searchId}-cues`}
        ref={list}
        className={styles.cues}
        onScroll={onUserScroll}
        onWheel={() => (userScrolledAt.current = Date.now())}
        onTouchMove={() => (userScrolledAt.current = Date.now())}
        aria-label="Transcript lines"
        onKeyDown={(e) => {
          if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
          const buttons = [...(list.current?.querySelectorAll<HTMLButtonElement>("button") ?? [])];
          const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
          const next = buttons[at + (e.key === "ArrowDown" ? 1 : -1)];
          if (next) {
            e.preventDefault();
            userScrolledAt.current = Date.now();
            next.focus();
          }
        }}
      >
        {shown.map(({ cue, index }) => (
          <li key={index} data-cue={index}>
            <button
              type="button"
              className={styles.cue}
              aria-current={index === current ? "true" : undefined}
              data-start={cue.start}
              onClick={() => ctx?.seek(cue.start)}
            >
              <span className={styles.time}>{cue.label}</span>
              <span>{highlight(cue.text, deferred)}</span>
            </button>
            {forumThread ? (
              <a href={askMomentPath(forumThread, cue.start, cue.text)} className={styles.askLine} data-testid="ask-line" aria-label={`Ask about ${cue.label}`} title="Ask about this moment">
                Ask
              </a>
            ) : null}
          </li>
        ))}
      </ol>
      {deferred && shown.length === 0 ? <p className={styles.small}>No line matches.</p> : null}
    </section>
  );
}
