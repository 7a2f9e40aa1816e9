"use client";

import { useQuery } from "@tanstack/react-query";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import styles from "~/components/admin/admin.module.css";
import type { AppRouter } from "~/server/trpc/root";
import { useTRPC } from "~/trpc/react";
import { JobStatusBadge } from "./job-status";
import { durationBetween, formatDuration, formatLogLoss, formatPercent, formatRelative, formatUtc } from "~/lib/format";
import { withQuery } from "~/lib/routes";

type JobsInput = inferRouterInputs<AppRouter>["operations"]["jobs"]["list"];
type JobsList = inferRouterOutputs<AppRouter>["operations"]["jobs"]["list"];

export const JOBS_REFETCH_MS = 4000;
const STATUSES = ["queued", "running", "succeeded", "failed", "cancelled"] as const;

const jobsHref = (status?: string, cursor?: string | null) => withQuery("/admin/jobs", { status, cursor });

type JobSubmission = JobsList["items"][number]["submission"];

/** Whose work a job grades: the student (name, email) and a link to the submission's page. */
export function SubmissionCell({ submission }: { submission: JobSubmission }) {
  if (!submission) return <span className={styles.muted}>no submission</span>;
  return (
    <>
      <Link href={`/homework/submissions/${submission.id}`}>{submission.fileName}</Link>
      <div className={styles.small}>
        {submission.user.name ? `${submission.user.name} · ` : ""}
        {submission.user.email}
      </div>
      <div className={styles.small}>{submission.assignmentSlug}</div>
    </>
  );
}

export function JobsTable({ input, initial }: { input: JobsInput; initial: JobsList }) {
  const trpc = useTRPC();
  const { data, error } = useQuery(trpc.operations.jobs.list.queryOptions(input, { initialData: initial, refetchInterval: JOBS_REFETCH_MS }));
  const total = Object.values(data.counts).reduce((a, b) => a + b, 0);
  const { now } = data;
  return (
    <section className="card stack" aria-labelledby="jobs-heading">
      <h2 id="jobs-heading" style={{ margin: 0 }}>
        {input.status ? `${input.status[0]!.toUpperCase()}${input.status.slice(1)} jobs` : "All jobs"}
      </h2>
      <nav className={styles.filters} aria-label="Filter jobs by status">
        <Link href={jobsHref()} aria-current={!input.status ? "page" : undefined}>
          all ({total})
        </Link>
        {STATUSES.map((s) => (
          <Link key={s} href={jobsHref(s)} aria-current={input.status === s ? "page" : undefined}>
            {s} ({data.counts[s]})
          </Link>
        ))}
      </nav>
      {error && <div className="alert error" role="alert">Could not refresh: {error.message}</div>}
      {data.items.length === 0 ? (
        <p className={styles.muted}>No jobs{input.status ? ` with the status ${input.status}` : ""} yet.</p>
      ) : (
        <div className={styles.tableWrap}>
          <table>
            <thead>
              <tr>
                <th scope="col">Job</th>
                <th scope="col">Submission</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
                <th scope="col">Runner</th>
                <th scope="col">Created</th>
                <th scope="col">Ran</th>
                <th scope="col">Score (public)</th>
                <th scope="col">Failure</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((job) => (
                <tr key={job.id} data-testid="job-row" data-job-id={job.id}>
                  <td>
                    <Link href={`/admin/jobs/${job.id}`} className={styles.mono}>
                      {job.id}
                    </Link>
                    <div className={styles.small}>benchmark {job.benchmarkId}</div>
                  </td>
                  <td data-testid="job-submission">
                    <SubmissionCell submission={job.submission} />
                  </td>
                  <td>
                    <JobStatusBadge status={job.status} cancelRequested={job.cancelRequested} />
                  </td>
                  <td>
                    {job.attempts} / {job.maxAttempts}
                  </td>
                  <td>{job.runner ? job.runner.name : <span className={styles.muted}>—</span>}</td>
                  <td title={formatUtc(job.createdAt, "second")}>{formatRelative(job.createdAt, now)}</td>
                  <td>
                    {job.startedAt ? (
                      <>
                        <div title={formatUtc(job.startedAt, "second")}>started {formatRelative(job.startedAt, now)}</div>
                        {job.finishedAt && <div className={styles.small}>took {formatDuration(durationBetween(job.startedAt, job.finishedAt))}</div>}
                      </>
                    ) : (
                      <span className={styles.muted}>not started</span>
                    )}
                  </td>
                  <td>
                    {job.scores ? (
                      <>
                        <div>{formatPercent(job.scores.public.accuracy)}</div>
                        <div className={styles.small}>log loss {formatLogLoss(job.scores.public.logLoss)}</div>
                      </>
                    ) : (
                      <span className={styles.muted}>—</span>
                    )}
                  </td>
                  <td>
                    {job.failureReason ? <strong>{job.failureReason}</strong> : null}
                    {job.lastError && <div className={styles.small} title={job.lastError}>{job.lastError.slice(0, 120)}{job.lastError.length > 120 ? "…" : ""}</div>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className={styles.row}>
        {input.cursor && <Link href={jobsHref(input.status)}>← Newest jobs</Link>}
        {data.nextCursor && <Link href={jobsHref(input.status, data.nextCursor)}>Older jobs →</Link>}
      </div>
    </section>
  );
}
