"use client";

import { askMomentPath } from "~/lib/ask-moment";
import { useLessonPlayer } from "./lesson-player";
import styles from "./lesson.module.css";

/**
 * "Ask about this moment" beside the player: the lesson's thread with a reply prefilled with a link to the second
 * the video is at. A plain link (the address is rebuilt as the time moves), so it also works opened in a new tab.
 */
export function AskMoment({ forumThread }: { forumThread: string }) {
  const ctx = useLessonPlayer();
  const seconds = Math.floor(ctx?.time ?? 0);
  return (
    <a href={askMomentPath(forumThread, seconds)} className={styles.small} data-testid="ask-moment">
      Ask about this moment
    </a>
  );
}
