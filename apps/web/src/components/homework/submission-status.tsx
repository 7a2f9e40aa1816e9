import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "~/server/trpc/root";
import { explainFailure, failureDetails } from "./failure";
import { FailureView } from "./failure-view";
import { formatLogLoss, formatPercent } from "~/lib/format";
import styles from "./homework.module.css";

export type SubmissionItem = inferRouterOutputs<AppRouter>["homework"]["mySubmissions"]["items"][number];

const LABEL: Record<SubmissionItem["state"], string> = { queued: "Queued", running: "Running", scored: "Scored", failed: "Failed", cancelled: "Cancelled" };

export function StateBadge({ state }: { state: SubmissionItem["state"] }) {
  return (
    <span className={styles.state} data-state={state} data-testid="submission-state">
      {LABEL[state]}
    </span>
  );
}

/**
 * What is happening to one submission: place in the queue, the running cell and the notebook's output, scores, or why
 * it failed. `hideFailure`: the page shows the failure itself (with the notebook's source around the error).
 */
export function SubmissionStatus({ item, hideFailure = false }: { item: SubmissionItem; hideFailure?: boolean }) {
  return (
    <div className="stack" style={{ gap: 8 }}>
      {item.state === "queued" ? (
        <p className={styles.meta} data-testid="queue-position">
          Waiting for a runner: {item.queuePosition === 1 ? "next in line" : `number ${item.queuePosition} in the queue`}.
          {item.lastError ? ` (${item.lastError})` : null}
        </p>
      ) : null}
      {item.state === "running" ? (
        <div>
          <p className={styles.meta} data-testid="running-cell">
            {item.progress ? `Running cell ${item.progress.cell} of ${item.progress.count} (In [${item.progress.cell}])` : "Running"}
            {item.attempts > 1 ? ` (attempt ${item.attempts})` : null}
          </p>
          {item.progress ? <progress className={styles.progress} max={item.progress.count} value={item.progress.cell} aria-label="Code cells run" /> : null}
        </div>
      ) : null}
      {item.publicScore ? (
        <div className={styles.scores} data-testid="scores">
          <span className={styles.score}>
            Public log loss <strong>{formatLogLoss(item.publicScore.logLoss)}</strong>
          </span>
          <span className={styles.score}>
            accuracy <strong>{formatPercent(item.publicScore.accuracy)}</strong>
          </span>
          {item.privateScore ? (
            <span className={styles.score}>
              Private log loss <strong>{formatLogLoss(item.privateScore.logLoss)}</strong>, accuracy <strong>{formatPercent(item.privateScore.accuracy)}</strong>
            </span>
          ) : (
            <span className={styles.meta}>Private score hidden until the deadline.</span>
          )}
        </div>
      ) : null}
      {(item.state === "failed" || item.state === "cancelled") && !hideFailure ? (
        <FailureView
          explanation={explainFailure({ reason: item.failureReason, state: item.state, message: item.lastError, executed: null, submitted: null })}
          details={failureDetails(item.failureReason, item.lastError)}
        />
      ) : null}
      {item.logTail.length > 0 && item.state !== "scored" ? (
        <details open={item.state === "running"}>
          <summary>Output (last {item.logTail.length} lines)</summary>
          <pre className={styles.log} data-testid="log-tail" aria-live="off">
            {item.logTail.map((line, i) => (
              <span key={i} data-stream={line.stream}>
                {line.text}
                {"\n"}
              </span>
            ))}
          </pre>
        </details>
      ) : null}
    </div>
  );
}
