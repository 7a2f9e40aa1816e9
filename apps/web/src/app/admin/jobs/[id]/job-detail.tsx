"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import styles from "~/components/admin/admin.module.css";
import { stripAnsi } from "~/components/notebook/ansi";
import type { AppRouter } from "~/server/trpc/root";
import { useTRPC } from "~/trpc/react";
import { refreshAfterWrite } from "~/trpc/refresh";
import { JobStatusBadge } from "../job-status";
import { SubmissionCell } from "../jobs-table";
import { durationBetween, formatBytes, formatDuration, formatLogLoss, formatPercent, formatRelative, formatTimeOfDay, formatUtc } from "~/lib/format";

type Job = inferRouterOutputs<AppRouter>["operations"]["jobs"]["get"];

export const JOB_REFETCH_MS = 3000;

function Actions({ job }: { job: Job }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const done = {
    onSuccess: async () => {
      await refreshAfterWrite(queryClient, { queryKey: trpc.operations.jobs.pathKey() });
      router.refresh();
    },
  };
  const requeue = useMutation(trpc.operations.jobs.requeue.mutationOptions(done));
  const cancel = useMutation(trpc.operations.jobs.cancel.mutationOptions(done));
  const cancellable = (job.status === "queued" || job.status === "running") && !job.cancelRequested;
  // Only a failed or cancelled job may run again (the server refuses the rest too).
  const requeueable = job.status === "failed" || job.status === "cancelled";
  const error = requeue.error ?? cancel.error;
  return (
    <div className="stack" style={{ gap: 6 }}>
      <div className={styles.actions}>
        {requeueable ? (
          <button
            type="button"
            className={`button ${styles.button}`}
            disabled={requeue.isPending}
            onClick={() => requeue.mutate({ id: job.id })}
            title="Run it again from scratch (attempts start again at 0)"
          >
            Requeue
          </button>
        ) : null}
        <button
          type="button"
          className={`button secondary ${styles.button}`}
          disabled={!cancellable || cancel.isPending}
          onClick={() => cancel.mutate({ id: job.id })}
          title={job.status === "running" ? "The runner stops at its next heartbeat" : "Cancel before a runner takes it"}
        >
          Cancel
        </button>
      </div>
      {error && <div className="alert error" role="alert">{error.message}</div>}
    </div>
  );
}

function Scores({ job }: { job: Job }) {
  if (!job.scores) return <p className={styles.muted}>No scores{job.status === "succeeded" ? " were reported" : " yet"}.</p>;
  const rows = [
    ["Public", job.scores.public],
    ["Private", job.scores.private],
    ["Overall", job.scores.overall],
  ] as const;
  return (
    <table data-testid="job-scores">
      <thead>
        <tr>
          <th scope="col">Split</th>
          <th scope="col">Rows</th>
          <th scope="col">Accuracy</th>
          <th scope="col">Log loss</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([name, m]) => (
          <tr key={name}>
            <th scope="row">{name}</th>
            <td>{m.count}</td>
            <td>{formatPercent(m.accuracy)}</td>
            <td>{formatLogLoss(m.logLoss)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Logs({ job }: { job: Job }) {
  const multipleAttempts = new Set(job.logs.map((l) => l.attempt)).size > 1;
  return (
    <section className="card stack" aria-labelledby="logs-heading">
      <div>
        <h2 id="logs-heading" style={{ margin: 0 }}>Logs</h2>
        <div className={styles.small}>
          {job.logCount > job.logs.length ? `The last ${job.logs.length} of ${job.logCount} lines.` : `${job.logCount} lines.`} Standard error is
          red, the runner&apos;s own lines are in italics.
        </div>
      </div>
      {job.logs.length === 0 ? (
        <p className={styles.muted}>No log lines yet.</p>
      ) : (
        <pre className={styles.logs} data-testid="job-logs" tabIndex={0} aria-label="Log lines">
          {job.logs.map((line) => (
            <span key={line.id} className={styles.logLine} data-stream={line.stream}>
              <span className={styles.logTime}>
                {formatTimeOfDay(line.at)}
                {multipleAttempts ? ` #${line.attempt}` : ""}
              </span>
              {line.stream === "stderr" && <span className={styles.visuallyHidden}>stderr: </span>}
              {stripAnsi(line.text)}
            </span>
          ))}
        </pre>
      )}
    </section>
  );
}

export function JobDetail({ initial }: { initial: Job }) {
  const trpc = useTRPC();
  const router = useRouter();
  const { data: job, error } = useQuery(
    trpc.operations.jobs.get.queryOptions({ id: initial.id, withNotebooks: false }, { initialData: initial, refetchInterval: JOB_REFETCH_MS }),
  );
  // The notebook below is rendered on the server: when the job moves on, ask for a fresh server render.
  const key = `${job.status}|${job.attempts}|${job.hasExecutedNotebook}`;
  const rendered = useRef(key);
  useEffect(() => {
    if (rendered.current !== key) {
      rendered.current = key;
      router.refresh();
    }
  }, [key, router]);

  const { now } = job;
  const caps = job.capabilities;
  return (
    <>
      {error && <div className="alert error" role="alert">Could not refresh: {error.message}</div>}
      <section className="card stack" aria-labelledby="status-heading">
        <div className={styles.row} style={{ justifyContent: "space-between" }}>
          <h2 id="status-heading" style={{ margin: 0 }}>
            Status <JobStatusBadge status={job.status} cancelRequested={job.cancelRequested} />
          </h2>
          <Actions job={job} />
        </div>
        {(job.failureReason || job.lastError) && (
          <div>
            {job.failureReason && <strong data-testid="failure-reason">{job.failureReason}</strong>}
            {job.lastError && <pre className={styles.errorBox}>{job.lastError}</pre>}
          </div>
        )}
        <dl className={styles.facts}>
          <dt>Submission</dt>
          <dd data-testid="job-submission">
            <SubmissionCell submission={job.submission} />
          </dd>
          <dt>Benchmark</dt>
          <dd>{job.benchmarkId}</dd>
          <dt>Attempts</dt>
          <dd data-testid="job-attempts">
            {job.attempts} of {job.maxAttempts}
          </dd>
          <dt>Runner</dt>
          <dd>
            {job.runner ? (
              <Link href={"/admin/runners"}>
                {job.runner.name} <code>{job.runner.prefix}…</code>
              </Link>
            ) : (
              "—"
            )}
            {caps && (
              <div className={styles.small}>
                {caps.gpu ?? "no GPU"} · {caps.cpuModel} × {caps.cpuCount} · {formatBytes(caps.memoryBytes)} · sandbox {caps.sandbox}
              </div>
            )}
          </dd>
          <dt>Backend</dt>
          <dd>{job.backend ?? caps?.backend ?? "—"}</dd>
          <dt>Created</dt>
          <dd>{formatUtc(job.createdAt, "second")}</dd>
          <dt>Started</dt>
          <dd>
            {formatUtc(job.startedAt, "second")}
            {job.startedAt && <span className={styles.small}> · waited {formatDuration(durationBetween(job.createdAt, job.startedAt))} in the queue</span>}
          </dd>
          <dt>Finished</dt>
          <dd>
            {formatUtc(job.finishedAt, "second")}
            {job.finishedAt && job.startedAt && <span className={styles.small}> · ran {formatDuration(durationBetween(job.startedAt, job.finishedAt))}</span>}
          </dd>
          {job.status === "running" && (
            <>
              <dt>Lease</dt>
              <dd>
                expires {formatRelative(job.leaseExpiresAt, now)} ({job.leaseSeconds} s per heartbeat)
              </dd>
            </>
          )}
          {job.timings && (
            <>
              <dt>Timings</dt>
              <dd>
                setup {formatDuration(job.timings.setupMs)} · execute {formatDuration(job.timings.executeMs)} · score {formatDuration(job.timings.scoreMs)} · total{" "}
                {formatDuration(job.timings.totalMs)}
              </dd>
            </>
          )}
          {job.submissionRows !== null && (
            <>
              <dt>Submission</dt>
              <dd>{job.submissionRows} rows in submission.csv</dd>
            </>
          )}
        </dl>
      </section>
      <section className="card stack" aria-labelledby="scores-heading">
        <h2 id="scores-heading" style={{ margin: 0 }}>Scores</h2>
        <Scores job={job} />
      </section>
      <Logs job={job} />
    </>
  );
}
