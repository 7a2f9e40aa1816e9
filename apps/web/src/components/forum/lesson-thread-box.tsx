"use client";

import { useQuery } from "@tanstack/react-query";
import { formatUtc } from "~/lib/format";
import { useTRPC } from "~/trpc/react";
import styles from "./forum.module.css";

/**
 * The lesson page's view of its forum thread: how many replies it has and the newest ones. Asked for after load,
 * since the lesson page itself is cached whole (the same HTML for every visitor).
 */
export function LessonThreadBox({ slug }: { slug: string }) {
  const trpc = useTRPC();
  const { data } = useQuery(trpc.forum.lessonThread.queryOptions({ slug }, { staleTime: 15_000, refetchOnWindowFocus: true }));
  if (!data) return null;
  return (
    <div className={styles.lessonBox} data-testid="lesson-thread">
      <p>
        <a href={data.url}>{data.title}</a>: <span data-testid="lesson-thread-replies">{data.replyCount === 1 ? "1 reply" : `${data.replyCount} replies`}</span>
      </p>
      {data.latest.length > 0 ? (
        <ol aria-label="Latest replies">
          {data.latest.map((r) => (
            <li key={r.number}>
              <a href={r.url}>
                <strong>{r.author}</strong>
              </a>{" "}
              <span className={styles.muted}>{formatUtc(r.createdAt)}</span>: {r.excerpt}
            </li>
          ))}
        </ol>
      ) : (
        <p className={styles.muted}>No replies yet: ask the first question.</p>
      )}
    </div>
  );
}
