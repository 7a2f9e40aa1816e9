"use client";

import { formatTime } from "@course/content/time";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { startPosition } from "~/server/progress";
import { useTRPC } from "~/trpc/react";

/**
 * On the course home, where a signed-in student is in a lesson ("Opened", "Resume at 12:34", "Watched"). Asked for
 * in the browser (one `progress.forCourse` for all lessons) so that the home page is the same for everyone and cached.
 */
export function LessonProgressBadge({ slug, duration }: { slug: string; duration: number | null }) {
  const trpc = useTRPC();
  const me = useQuery(trpc.account.me.queryOptions(undefined, { staleTime: 0 }));
  const progress = useQuery(trpc.progress.forCourse.queryOptions(undefined, { enabled: Boolean(me.data), staleTime: 0 }));
  const mine = me.data ? progress.data?.find((p) => p.lessonSlug === slug) : undefined;
  if (!mine) return null;
  return (
    <div data-testid="lesson-progress">
      {startPosition(null, mine.positionSeconds, duration).reason === "resume" ? (
        <Link href={`/lessons/${slug}`} className="badge">
          Resume at {formatTime(mine.positionSeconds)}
        </Link>
      ) : (
        <span className="badge">{duration && mine.positionSeconds >= duration - 15 ? "Watched" : "Opened"}</span>
      )}
    </div>
  );
}
