"use client";

import type { ReactNode } from "react";
import { useLessonPlayer } from "./lesson-player";

/** A link to a moment of the video: on the lesson page it seeks the player; elsewhere it opens the lesson there. */
export function VideoTimeLink({ seconds, href, children }: { seconds: number; href: `/lessons/${string}`; children: ReactNode }) {
  const ctx = useLessonPlayer();
  return (
    <a
      href={href}
      data-video-time={seconds}
      onClick={(e) => {
        if (!ctx || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey || e.button !== 0) return;
        e.preventDefault();
        ctx.seek(seconds);
      }}
    >
      {children}
    </a>
  );
}

/** On a resumed lesson: says where it resumed and offers to start over. */
export function ResumeNote({ label }: { label: string }) {
  const ctx = useLessonPlayer();
  return (
    <p role="status" data-testid="resume-note">
      Resuming at {label}, where you left off.{" "}
      <button type="button" onClick={() => ctx?.seek(0)}>
        Start from the beginning
      </button>
    </p>
  );
}
