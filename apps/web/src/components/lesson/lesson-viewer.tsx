"use client";

import { formatTime, parseTimeParam } from "@course/content/time";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState, type ReactNode } from "react";
import { startPosition } from "~/server/progress";
import { useTRPC } from "~/trpc/react";
import { LessonPlayerProvider, useLessonPlayer, type StartAt } from "./lesson-player";
import { ResumeNote } from "./video-time-link";

/**
 * The visitor's part of a lesson page, decided in the browser so that the page's HTML is the same for everyone and
 * can be cached: where the video starts (a `?t=` deep link, else a signed-in student's saved position, else the
 * beginning) and whether progress is recorded. The player waits until the start is known.
 */
export function LessonViewer(props: { slug: string; youtubeId: string | null; apiUrl: string; duration: number | null; children: ReactNode }) {
  const { slug, youtubeId, apiUrl, duration } = props;
  const trpc = useTRPC();
  // undefined until read: the server render (cached for everyone) has no query string.
  const [deepLink, setDeepLink] = useState<number | null | undefined>(undefined);
  useEffect(() => setDeepLink(parseTimeParam(new URLSearchParams(window.location.search).get("t"))), [slug]);
  const me = useQuery(trpc.account.me.queryOptions(undefined, { staleTime: 0 }));
  const signedIn = Boolean(me.data);
  const progress = useQuery(trpc.progress.forCourse.queryOptions(undefined, { enabled: signedIn && deepLink === null, staleTime: 0 }));

  let startAt: StartAt | null = null;
  if (deepLink != null) startAt = startPosition(deepLink, null, duration);
  else if (deepLink === null && !me.isPending) {
    if (!signedIn) startAt = startPosition(null, null, duration);
    else if (!progress.isPending) startAt = startPosition(null, progress.data?.find((p) => p.lessonSlug === slug)?.positionSeconds, duration);
  }
  const start = startAt ?? { seconds: 0, reason: "start" as const };
  return (
    // Keyed so that moving to another lesson (or learning where to start) gets fresh player state.
    <LessonPlayerProvider
      key={`${slug}@${startAt ? `${start.reason}:${start.seconds}` : "pending"}`}
      slug={slug}
      youtubeId={youtubeId}
      apiUrl={apiUrl}
      startAt={start}
      pending={startAt === null}
      trackProgress={signedIn}
    >
      {props.children}
    </LessonPlayerProvider>
  );
}

/** "Resuming at 9:20" on a lesson the signed-in student is returning to. */
export function LessonResumeNote() {
  const ctx = useLessonPlayer();
  if (!ctx || ctx.pending || ctx.startAt.reason !== "resume") return null;
  return <ResumeNote label={formatTime(ctx.startAt.seconds)} />;
}
