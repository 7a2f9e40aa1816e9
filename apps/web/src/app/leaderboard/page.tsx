import type { Metadata } from "next";
import Link from "next/link";
import { getAssignments } from "~/server/homework/assignments";
import { formatUtc } from "~/lib/format";

// Read at request time, as before the root layout stopped making every page dynamic (content is read at run time).
export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Leaderboards" };

export default async function LeaderboardsPage() {
  const assignments = await getAssignments();
  return (
    <div className="stack">
      <h1>Leaderboards</h1>
      {assignments.length === 0 ? <p className="hint">No homework yet.</p> : null}
      <ul>
        {assignments.map((a) => (
          <li key={a.slug}>
            <Link href={`/leaderboard/${a.slug}`}>{a.title}</Link> <span className="hint">(deadline {formatUtc(a.deadline)})</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
