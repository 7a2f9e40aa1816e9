import { parseTimeParam } from "@course/content";
import type { ReactNode } from "react";
import { notebookHref } from "./lesson-links";
import { lessonTimeHref } from "./time-links";
import { VideoTimeLink } from "./video-time-link";
import styles from "./lesson.module.css";

const CALLOUT_LABELS = { note: "Note", tip: "Tip", warning: "Warning" } as const;

/** `<Callout type="note|tip|warning" title?>`: an aside set off from the text. */
export function Callout({ type, title, children }: { type?: string; title?: string; children?: ReactNode }) {
  const kind = type === "tip" || type === "warning" ? type : "note";
  const heading = title ?? CALLOUT_LABELS[kind];
  return (
    <aside className={`${styles.callout} ${styles[`callout_${kind}`] ?? ""}`} role="note" aria-label={heading} data-callout={kind}>
      <p className={styles.calloutTitle}>{title ? `${CALLOUT_LABELS[kind]}: ${title}` : heading}</p>
      {children}
    </aside>
  );
}

/** `<NotebookLink path="notebooks/x.ipynb">label</NotebookLink>`: a link to the notebook's page (read, download, run). */
export function NotebookLink({ path, children }: { path?: string; children?: ReactNode }) {
  const href = path ? notebookHref(path) : null;
  const label = children ?? path;
  return (
    <span className={styles.notebook} data-notebook={path}>
      {href ? <a href={href}>{label}</a> : <strong>{label}</strong>} (notebook <code>{path}</code>)
    </span>
  );
}

/** `<VideoTime t="1:23">label</VideoTime>` bound to a lesson: seeks the player on its page, links there elsewhere. */
export function videoTimeFor(slug: string) {
  return function VideoTime({ t, children }: { t?: string | number; children?: ReactNode }) {
    const seconds = parseTimeParam(t === undefined ? undefined : String(t));
    if (seconds === null) return <>{children}</>;
    return (
      <VideoTimeLink seconds={seconds} href={lessonTimeHref(slug, seconds)}>
        {children}
      </VideoTimeLink>
    );
  };
}
