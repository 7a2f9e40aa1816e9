"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";
import { formatLogLoss, formatPercent, formatUtc } from "~/lib/format";
import styles from "./rank-table.module.css";

export interface RankRow {
  rank: number;
  displayName: string;
  logLoss: number;
  accuracy: number;
  entries: number;
  createdAt: Date;
  submissionId: string;
}

/**
 * One leaderboard table. The page around it is cached and the same for every visitor, so the visitor's own row is
 * marked here, in the browser, from `leaderboard.mine` (the caller's own submissions; none for anonymous visitors).
 */
export function RankTable({ slug, rows, caption, testId }: { slug: string; rows: RankRow[]; caption: string; testId: string }) {
  const trpc = useTRPC();
  const mine = useQuery(trpc.leaderboard.mine.queryOptions({ slug }, { staleTime: 0 }));
  const own = new Set(mine.data?.submissionIds ?? []);
  if (rows.length === 0) return <p className="hint">No scored submissions yet.</p>;
  return (
    // Scrolls sideways inside its own box on a phone instead of widening the page.
    <div className="table-scroll">
      <table data-testid={testId}>
        <caption style={{ textAlign: "left", color: "var(--muted)", paddingBottom: 6 }}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Rank</th>
            <th scope="col">Student</th>
            <th scope="col" style={{ textAlign: "right" }}>Log loss</th>
            <th scope="col" style={{ textAlign: "right" }}>Accuracy</th>
            <th scope="col" style={{ textAlign: "right" }}>Entries</th>
            <th scope="col">Submitted</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const you = own.has(r.submissionId);
            return (
              // The signed-in student's own row: highlighted and marked for assistive technology.
              <tr key={r.submissionId} className={you ? styles.you : undefined} aria-current={you ? "true" : undefined} data-testid={you ? "your-row" : undefined}>
                <td>{r.rank}</td>
                <td>
                  {r.displayName}
                  {you ? <span className={`badge ${styles.youBadge}`}>You</span> : null}
                </td>
                <td style={{ textAlign: "right", fontVariantNumeric: "tabular-nums" }}>{formatLogLoss(r.logLoss)}</td>
                <td style={{ textAlign: "right", fontVariantNumeric: "tabular-nums" }}>{formatPercent(r.accuracy)}</td>
                <td style={{ textAlign: "right" }}>{r.entries}</td>
                <td data-testid="submitted">
                  <time dateTime={new Date(r.createdAt).toISOString()}>{formatUtc(r.createdAt)}</time>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
