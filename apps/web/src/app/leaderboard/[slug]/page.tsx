import type { Metadata } from "next";
import Link from "next/link";
import { AutoRefresh } from "~/components/homework/auto-refresh";
import { RankTable } from "~/components/homework/rank-table";
import { ScoreChart } from "~/components/homework/score-chart";
import { getDb } from "~/server/db";
import { getAssignment } from "~/server/homework/assignments";
import { publicLeaderboard } from "~/server/homework/leaderboard";
import { orNotFound } from "~/server/page-data";
import { formatUtc } from "~/lib/format";

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

/** Public leaderboard: best public score per student; after the deadline the private (final) ranking too. */
export default async function LeaderboardPage({ params }: Props) {
  const { slug } = await params;
  // No viewer (not the request's session): the board is public, and not reading the request keeps it cacheable.
  const board = await orNotFound(publicLeaderboard((await getDb()).prisma, slug));
  return (
    <div className="stack">
      <AutoRefresh seconds={10} />
      <div>
        <p className="hint">
          <Link href={`/homework/${slug}`}>Homework: {board.title}</Link>
        </p>
        <h1>Leaderboard: {board.title}</h1>
        <p className="lead">
          Ranked by log loss on the hidden test images (lower is better); on equal log loss the higher accuracy ranks
          first, then the earlier submission, as on Kaggle. Each student's best submission counts; times are UTC.
          {board.revealed
            ? " The deadline has passed: the private half of the test set decides the final ranking, from each student's chosen finals."
            : ` Private scores and the final ranking are revealed after the deadline, ${formatUtc(board.deadline)}.`}
        </p>
      </div>
      {board.final ? (
        <section aria-labelledby="final-heading">
          <h2 id="final-heading">Final ranking (private scores)</h2>
          <RankTable slug={slug} rows={board.final} caption="Best private score among each student's final submissions" testId="final-leaderboard" />
        </section>
      ) : null}
      <section aria-labelledby="public-heading">
        <h2 id="public-heading">Public leaderboard</h2>
        <RankTable slug={slug} rows={board.public} caption="Best public score per student" testId="public-leaderboard" />
      </section>
      <section aria-labelledby="chart-heading">
        <h2 id="chart-heading">Best public score over time</h2>
        <ScoreChart points={board.bestOverTime} until={new Date(Math.min(Date.now(), board.deadline.getTime()))} />
      </section>
    </div>
  );
}
