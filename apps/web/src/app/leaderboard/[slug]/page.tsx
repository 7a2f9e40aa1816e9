import type { Metadata, Route } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AutoRefresh } from "~/components/homework/auto-refresh";
import { formatAccuracy, formatLogLoss, formatWhen } from "~/components/homework/format";
import { ScoreChart } from "~/components/homework/score-chart";
import { getDb } from "~/server/db";
import { getAssignment } from "~/server/homework/assignments";
import styles from "../leaderboard.module.css";
import { createCaller } from "~/server/trpc/root";

interface Props {
  params: Promise<{ slug: string }>;
}

// Public and the same for everyone: rendered at most once every `revalidate` seconds and served from the page cache
// in between (cache-handler.mjs never serves it older than that), so a new score shows within 2 s.
export const revalidate = 2;
export async function generateStaticParams(): Promise<{ slug: string }[]> {
  return [];
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const assignment = await getAssignment((await params).slug);
  return { title: assignment ? `Leaderboard: ${assignment.title}` : "Leaderboard not found" };
}

type Row = { rank: number; displayName: string; logLoss: number; accuracy: number; entries: number; createdAt: Date; submissionId: string; you: boolean };

function RankTable({ rows, caption, testId }: { rows: Row[]; caption: string; testId: string }) {
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
          {rows.map((r) => (
            // The signed-in student's own row: highlighted and marked for assistive technology.
            <tr key={r.submissionId} className={r.you ? styles.you : undefined} aria-current={r.you ? "true" : undefined} data-testid={r.you ? "your-row" : undefined}>
              <td>{r.rank}</td>
              <td>
                {r.displayName}
                {r.you ? <span className={`badge ${styles.youBadge}`}>You</span> : null}
              </td>
              <td style={{ textAlign: "right", fontVariantNumeric: "tabular-nums" }}>{formatLogLoss(r.logLoss)}</td>
              <td style={{ textAlign: "right", fontVariantNumeric: "tabular-nums" }}>{formatAccuracy(r.accuracy)}</td>
              <td style={{ textAlign: "right" }}>{r.entries}</td>
              <td data-testid="submitted">
                <time dateTime={r.createdAt.toISOString()}>{formatWhen(r.createdAt)}</time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Public leaderboard: best public score per student; after the deadline the private (final) ranking too. */
export default async function LeaderboardPage({ params }: Props) {
  const { slug } = await params;
  // An anonymous caller (not the request's session): the board is public, and not reading the request keeps it cacheable.
  const board = await createCaller({ db: await getDb(), user: null, ip: undefined }).leaderboard.get({ slug }).catch(() => null);
  if (!board) notFound();
  return (
    <div className="stack">
      <AutoRefresh seconds={10} />
      <div>
        <p className="hint">
          <Link href={`/homework/${slug}` as Route}>Homework: {board.title}</Link>
        </p>
        <h1>Leaderboard: {board.title}</h1>
        <p className="lead">
          Ranked by log loss on the hidden test images (lower is better); on equal log loss the higher accuracy ranks
          first, then the earlier submission, as on Kaggle. Each student's best submission counts; times are UTC.
          {board.revealed
            ? " The deadline has passed: the private half of the test set decides the final ranking, from each student's chosen finals."
            : ` Private scores and the final ranking are revealed after the deadline, ${formatWhen(board.deadline)}.`}
        </p>
      </div>
      {board.final ? (
        <section aria-labelledby="final-heading">
          <h2 id="final-heading">Final ranking (private scores)</h2>
          <RankTable rows={board.final} caption="Best private score among each student's final submissions" testId="final-leaderboard" />
        </section>
      ) : null}
      <section aria-labelledby="public-heading">
        <h2 id="public-heading">Public leaderboard</h2>
        <RankTable rows={board.public} caption="Best public score per student" testId="public-leaderboard" />
      </section>
      <section aria-labelledby="chart-heading">
        <h2 id="chart-heading">Best public score over time</h2>
        <ScoreChart points={board.bestOverTime} until={new Date(Math.min(Date.now(), board.deadline.getTime()))} />
      </section>
    </div>
  );
}
