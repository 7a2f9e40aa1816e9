import type { Metadata } from "next";
import Link from "next/link";
import { Fragment } from "react";
import { z } from "zod";
import { AutoRefresh } from "~/components/homework/auto-refresh";
import { StateBadge } from "~/components/homework/submission-status";
import styles from "~/components/grading/grading.module.css";
import { requireUser } from "~/server/auth/session";
import { getDb } from "~/server/db";
import { gradingQueueFor, JOB_FILTERS, QUEUE_GROUPINGS, REVIEW_FILTERS } from "~/server/grading/queue";
import { formatLogLoss, formatPercent, formatUtc } from "~/lib/format";
import { withQuery } from "~/lib/routes";

export const metadata: Metadata = { title: "Grading" };

interface Props {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) || undefined;
// Unknown filter values are ignored rather than failing the page.
const filterSchema = z.object({
  lesson: z.string().max(100).optional().catch(undefined),
  assignment: z.string().max(100).optional().catch(undefined),
  job: z.enum(JOB_FILTERS).optional().catch(undefined),
  review: z.enum(REVIEW_FILTERS).optional().catch(undefined),
  group: z.enum(QUEUE_GROUPINGS).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});

const JOB_LABEL = { queued: "Queued", running: "Running", scored: "Scored", failed: "Failed" } as const;
const REVIEW_LABEL = { none: "Not reviewed", draft: "Draft", returned: "Returned" } as const;

/** The graders' queue (graders and admins): filters, counts, open regrade requests first, 25 a page. */
export default async function GradingPage({ searchParams }: Props) {
  await requireUser("grader", "/grading");
  const raw = await searchParams;
  const f = filterSchema.parse({ lesson: one(raw.lesson), assignment: one(raw.assignment), job: one(raw.job), review: one(raw.review), group: one(raw.group), page: one(raw.page) ?? 1 });
  const queue = await gradingQueueFor((await getDb()).prisma, f);
  const { assignments } = queue;
  const lessons = [...new Set(assignments.map((a) => a.lesson))];
  const pageHref = (page: number) => withQuery("/grading", { lesson: f.lesson, assignment: f.assignment, job: f.job, review: f.review, group: f.group, page });

  const grouped = f.group === "student";
  // Runs in progress change state by themselves: keep the page current while any is queued or running.
  const live = queue.items.some((s) => s.jobState === "queued" || s.jobState === "running");
  return (
    <div className="stack">
      {live ? <AutoRefresh seconds={5} /> : null}
      <div>
        <h1>Grading</h1>
        <p className="lead">Submissions to review: open regrade requests first, then the oldest (or grouped by student).</p>
      </div>
      <form className={`card ${styles.filters}`} method="get" action="/grading" aria-label="Filters">
        <label>
          Lesson
          <select name="lesson" defaultValue={f.lesson ?? ""}>
            <option value="">All lessons</option>
            {lessons.map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </select>
        </label>
        <label>
          Assignment
          <select name="assignment" defaultValue={f.assignment ?? ""}>
            <option value="">All assignments</option>
            {assignments.map((a) => (
              <option key={a.slug} value={a.slug}>
                {a.title}
              </option>
            ))}
          </select>
        </label>
        <label>
          Job
          <select name="job" defaultValue={f.job ?? ""}>
            <option value="">Any status</option>
            {JOB_FILTERS.map((j) => (
              <option key={j} value={j}>
                {JOB_LABEL[j]} ({queue.counts.job[j]})
              </option>
            ))}
          </select>
        </label>
        <label>
          Review
          <select name="review" defaultValue={f.review ?? ""}>
            <option value="">Any</option>
            {REVIEW_FILTERS.map((r) => (
              <option key={r} value={r}>
                {REVIEW_LABEL[r]} ({queue.counts.review[r]})
              </option>
            ))}
          </select>
        </label>
        <label>
          Show
          <select name="group" defaultValue={f.group ?? ""}>
            <option value="">Regrade requests first, then oldest</option>
            <option value="student">Grouped by student</option>
          </select>
        </label>
        <button className="button" type="submit">
          Filter
        </button>
        <Link href="/grading">Clear</Link>
      </form>
      <p className={styles.counts} data-testid="queue-counts">
        <span className="badge">{plural(queue.counts.all, "submission")}</span>
        <span className="badge">{queue.counts.review.none} not reviewed</span>
        <span className="badge">{plural(queue.counts.review.draft, "draft")}</span>
        <span className="badge">{queue.counts.review.returned} returned</span>
        <span className="badge">{plural(queue.counts.openRegrades, "open regrade request")}</span>
        <span className="hint">{queue.total} match the filters.</span>
      </p>
      {queue.items.length === 0 ? (
        <p className="card" data-testid="queue-empty">
          Nothing to review here.
        </p>
      ) : (
        <table className={styles.queue} data-testid="grading-queue">
          <thead>
            <tr>
              <th>Submission</th>
              <th>Student</th>
              <th>Submitted</th>
              <th>Job</th>
              <th>Public score</th>
              <th>Review</th>
            </tr>
          </thead>
          <tbody>
            {queue.items.map((s, i) => (
              <Fragment key={s.id}>
                {grouped && queue.items[i - 1]?.student.id !== s.student.id ? (
                  <tr className={styles.groupRow} data-testid="queue-group">
                    <th colSpan={6} scope="colgroup">
                      {s.student.name ?? s.student.email} <span className="hint">{s.student.email}</span>
                    </th>
                  </tr>
                ) : null}
                <tr data-testid="queue-item" data-student={s.student.email}>
                  <td>
                    <Link href={`/grading/submissions/${s.id}`}>{s.fileName}</Link>
                    <div className="hint">{s.assignmentSlug}</div>
                    {s.final ? (
                      <span className="badge" data-testid="final-badge" title="The student chose it for the final (private) ranking">
                        Final
                      </span>
                    ) : null}{" "}
                    {s.openRegrades > 0 ? <span className="badge" data-testid="open-regrade">Regrade requested</span> : null}
                  </td>
                  <td data-testid="queue-student">
                    {s.student.name ?? s.student.email}
                    <div className="hint">{s.student.email}</div>
                  </td>
                  <td>{formatUtc(s.createdAt)}</td>
                  <td>
                    <StateBadge state={s.jobState} />
                    {s.failureReason ? <div className="hint">{s.failureReason}</div> : null}
                  </td>
                  <td>{s.publicScore ? `${formatLogLoss(s.publicScore.logLoss)} · ${formatPercent(s.publicScore.accuracy)}` : "–"}</td>
                  <td data-testid="queue-review">{REVIEW_LABEL[s.review]}</td>
                </tr>
              </Fragment>
            ))}
          </tbody>
        </table>
      )}
      {queue.pages > 1 ? (
        <nav aria-label="Pages" className={styles.actions}>
          {f.page > 1 ? <Link href={pageHref(f.page - 1)}>Previous</Link> : null}
          <span>
            Page {f.page} of {queue.pages}
          </span>
          {f.page < queue.pages ? <Link href={pageHref(f.page + 1)}>Next</Link> : null}
        </nav>
      ) : null}
      <section className="card">
        <h2 style={{ marginTop: 0 }}>Export grades</h2>
        <p className="hint">CSV, one row per submission; “latest” keeps each student's most recent returned submission.</p>
        <ul>
          {assignments.map((a) => (
            <li key={a.slug}>
              {a.title}: <a href={`/api/grading/export?assignment=${encodeURIComponent(a.slug)}`} data-testid={`export-${a.slug}`}>all submissions</a> ·{" "}
              <a href={`/api/grading/export?assignment=${encodeURIComponent(a.slug)}&mode=latest`}>latest returned per student</a>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
