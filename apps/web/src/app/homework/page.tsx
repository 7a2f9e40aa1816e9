import type { Metadata } from "next";
import Link from "next/link";
import { getAssignments } from "~/server/homework/assignments";
import { formatUtc } from "~/lib/format";

// Read at request time, as before the root layout stopped making every page dynamic (content is read at run time).
export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Homework" };

export default async function HomeworkIndexPage() {
  const assignments = await getAssignments();
  return (
    <div className="stack">
      <h1>Homework</h1>
      {assignments.length === 0 ? <p className="hint">No homework yet.</p> : null}
      <ul>
        {assignments.map((a) => (
          <li key={a.slug}>
            <Link href={`/homework/${a.slug}`}>{a.title}</Link> <span className="hint">(deadline {formatUtc(a.deadline)})</span> ·{" "}
            <Link href={`/leaderboard/${a.slug}`}>leaderboard</Link>
          </li>
        ))}
      </ul>
    </div>
  );
}
