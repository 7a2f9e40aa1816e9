"use client";

import { useQuery } from "@tanstack/react-query";
import { useRef } from "react";
import type { LessonTimeline } from "~/server/wiki/lessons";
import { useTRPCClient } from "~/trpc/react";
import { useLessonPlayer } from "./lesson-player";
import { indexAt } from "./time-links";
import { VideoTimeLink } from "./video-time-link";
import styles from "./lesson.module.css";

/** How often a visible lesson page asks whether its wiki page changed (a hidden tab does not ask). */
const POLL_MS = 12_000;

/**
 * The lesson's wiki timeline beside the video: every line of the lesson's wiki page with a time link to this lesson,
 * in time order; each seeks the player. Live: while the page is visible it asks every few seconds with the revision
 * it shows, and the server answers "unchanged" (nothing rendered, nothing sent) until someone edits the wiki page.
 */
export function WikiTimeline({ slug }: { slug: string }) {
  const client = useTRPCClient();
  const ctx = useLessonPlayer();
  const shown = useRef<LessonTimeline | null>(null);
  const { data } = useQuery({
    queryKey: ["lessonWiki.timeline", slug],
    queryFn: async (): Promise<LessonTimeline> => {
      const answer = await client.lessonWiki.timeline.query({ slug, since: shown.current?.revision });
      if (answer.unchanged && shown.current) return shown.current;
      shown.current = { page: answer.page, revision: answer.revision, items: answer.items };
      return shown.current;
    },
    staleTime: 0,
    refetchInterval: POLL_MS,
    refetchIntervalInBackground: false,
    refetchOnWindowFocus: true,
  });
  if (!data || ctx?.youtubeId === null) return null;
  const current = indexAt(
    data.items.map((i) => ({ start: i.seconds })),
    ctx?.time ?? 0,
  );
  return (
    <nav className={styles.chapters} aria-labelledby="wiki-timeline-heading" data-testid="wiki-timeline" data-revision={data.revision}>
      <h2 id="wiki-timeline-heading" className={styles.panelHeading}>
        From the <a href={data.page}>wiki</a>
      </h2>
      {data.items.length === 0 ? (
        <p className={styles.small}>
          No time links yet: a line with <code>@4:40</code> on <a href={data.page}>the lesson&apos;s wiki page</a> shows up here.
        </p>
      ) : (
        <ol>
          {data.items.map((item, i) => (
            <li key={`${item.seconds}-${i}`} aria-current={i === current ? "true" : undefined} data-testid="wiki-timeline-item">
              <VideoTimeLink seconds={item.seconds} href={item.href}>
                <span className={styles.time}>{item.label}</span> <span>{item.text || "(no text)"}</span>
              </VideoTimeLink>
            </li>
          ))}
        </ol>
      )}
    </nav>
  );
}
