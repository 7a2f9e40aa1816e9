"use client";

import { useLessonPlayer } from "./lesson-player";
import { indexAt, showTimeInAddress } from "./time-links";
import { youtubeWatchUrl } from "./youtube-api";
import styles from "./lesson.module.css";

export interface TimedItem {
  start: number;
  /** The start as shown ("1:23"), formatted on the server. */
  label: string;
}

/**
 * The lesson's chapters; each seeks the player (and puts `?t=` in the address), and the one playing now is marked
 * `aria-current`. When the player could not load, each chapter is a link to the video on YouTube at its start.
 */
export function ChapterTimeline({ chapters }: { chapters: (TimedItem & { title: string })[] }) {
  const ctx = useLessonPlayer();
  const current = indexAt(chapters, ctx?.time ?? 0);
  if (chapters.length === 0 || ctx?.youtubeId === null) return null;
  const youtubeId = ctx?.failed ? ctx.youtubeId : null;
  return (
    <nav className={styles.chapters} aria-labelledby="chapters-heading">
      <h2 id="chapters-heading" className={styles.panelHeading}>
        Chapters
      </h2>
      <ol>
        {chapters.map((chapter, i) => (
          <li key={`${chapter.start}-${i}`}>
            {youtubeId ? (
              <a className={styles.chapter} href={youtubeWatchUrl(youtubeId, chapter.start)} target="_blank" rel="noopener noreferrer" data-start={chapter.start} onClick={() => showTimeInAddress(chapter.start)}>
                <span className={styles.time}>{chapter.label}</span>
                <span>{chapter.title}</span>
              </a>
            ) : (
              <button
                type="button"
                className={styles.chapter}
                aria-current={i === current ? "true" : undefined}
                data-start={chapter.start}
                onClick={() => ctx?.seek(chapter.start)}
              >
                <span className={styles.time}>{chapter.label}</span>
                <span>{chapter.title}</span>
              </button>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}
