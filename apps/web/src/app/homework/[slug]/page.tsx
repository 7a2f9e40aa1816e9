import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { LeaderboardSettings } from "~/components/homework/leaderboard-settings";
import { SubmissionList } from "~/components/homework/submission-list";
import { UploadForm } from "~/components/homework/upload-form";
import { getCurrentUser } from "~/server/auth/session";
import { getDb } from "~/server/db";
import { deadlinePassed, getAssignment } from "~/server/homework/assignments";
import { assignmentView, mySubmissions } from "~/server/homework/student";
import { formatBytes, formatDuration, formatUtc } from "~/lib/format";

interface Props {
  params: Promise<{ slug: string }>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const assignment = await getAssignment((await params).slug);
  return { title: assignment ? `Homework: ${assignment.title}` : "Homework not found" };
}

export default async function HomeworkPage({ params }: Props) {
  const { slug } = await params;
  const [assignment, user] = await Promise.all([getAssignment(slug), getCurrentUser()]);
  if (!assignment) notFound();
  const now = new Date();
  const closed = deadlinePassed(assignment, now);
  const { prisma } = await getDb();
  const { usedToday, nextAllowedAt } = await assignmentView(prisma, slug, user, now);
  const closedReason = closed ? `The deadline passed on ${formatUtc(assignment.deadline)}: submissions are closed.` : null;
  const limitUntil = !closed && nextAllowedAt ? nextAllowedAt.toISOString() : null;
  const mine = user ? await mySubmissions(prisma, slug, user) : undefined;

  return (
    <div className="stack">
      <div>
        <p className="hint">
          <Link href={`/lessons/${assignment.lesson}`}>Back to the lesson</Link> · <Link href={`/leaderboard/${slug}`}>Leaderboard</Link>
        </p>
        <h1>Homework: {assignment.title}</h1>
        {assignment.summary ? <p className="lead">{assignment.summary}</p> : null}
        <p>
          Deadline <strong><time dateTime={assignment.deadline.toISOString()}>{formatUtc(assignment.deadline)}</time></strong>{" "}
          {closed ? "(closed)" : `(${formatDuration(assignment.deadline.getTime() - now.getTime())} left)`} · {assignment.dailyLimit} submissions a day (UTC) · up to{" "}
          {formatBytes(assignment.maxFileBytes)} · scored on the <code>{assignment.benchmark}</code> benchmark by log loss (lower is better).
          {assignment.templateExists ? (
            <>
              {" "}
              <a href={`/homework/${slug}/template.ipynb`} download>
                Download the template notebook
              </a>
              .
            </>
          ) : null}
        </p>
      </div>

      {user ? (
        <>
          <section className="card" aria-labelledby="upload-heading">
            <h2 id="upload-heading" style={{ marginTop: 0 }}>
              Submit a notebook
            </h2>
            <p className="hint">
              Used today: {usedToday} of {assignment.dailyLimit}. Choose up to two scored submissions as your finals: after the deadline, the best private
              score among them decides your final rank (without a choice, your two best public scores count).
            </p>
            <UploadForm slug={slug} maxFileBytes={assignment.maxFileBytes} closedReason={closedReason} dailyLimit={assignment.dailyLimit} limitUntil={limitUntil} />
          </section>
          <section aria-labelledby="submissions-heading">
            <h2 id="submissions-heading">Your submissions</h2>
            <SubmissionList slug={slug} closed={closed} initial={mine} />
          </section>
          <LeaderboardSettings />
        </>
      ) : (
        <div className="card">
          <Link href={`/signin?callbackUrl=${encodeURIComponent(`/homework/${slug}`)}`}>Sign in</Link> to submit your notebook.
        </div>
      )}

      <section aria-labelledby="rubric-heading">
        <h2 id="rubric-heading">Rubric</h2>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Criterion</th>
              <th scope="col">What graders look for</th>
              <th scope="col">Points</th>
            </tr>
          </thead>
          <tbody>
            {assignment.rubric.map((r) => (
              <tr key={r.id}>
                <td>{r.title}</td>
                <td>{r.description}</td>
                <td>{r.maxPoints}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
