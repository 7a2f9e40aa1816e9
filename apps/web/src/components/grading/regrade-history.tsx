import styles from "./grading.module.css";
import { Markdown } from "./markdown";
import type { PointsCriterion } from "./points-input";
import { RegradeAnswerForm } from "./regrade-forms";
import { formatUtc } from "~/lib/format";

export interface RegradeItem {
  id: string;
  reason: string;
  status: "open" | "answered";
  answer: string | null;
  answeredAt: Date | null;
  answeredBy: string | null;
  createdAt: Date;
}

/**
 * Every regrade request of a submission, oldest first, with answers; graders get an answer form on open ones (with
 * the review's current points, `rubric`, to change them in the same step).
 */
export function RegradeHistory({ items, canAnswer, rubric = [] }: { items: RegradeItem[]; canAnswer: boolean; rubric?: readonly PointsCriterion[] }) {
  if (items.length === 0) return <p className="hint">No regrade requests.</p>;
  return (
    <ol className={styles.regrades} data-testid="regrade-history">
      {items.map((r) => (
        <li key={r.id} className="card" data-testid="regrade-request" data-status={r.status}>
          <div className={styles.commentMeta}>
            <span className="badge">{r.status === "open" ? "Open" : "Answered"}</span>
            <span>Asked {formatUtc(r.createdAt)}</span>
          </div>
          <p style={{ whiteSpace: "pre-wrap" }}>{r.reason}</p>
          {r.answer ? (
            <div className={styles.comment} data-testid="regrade-answer">
              <div className={styles.commentMeta}>
                <strong>{r.answeredBy ?? "A grader"}</strong>
                {r.answeredAt ? <span>{formatUtc(r.answeredAt)}</span> : null}
              </div>
              <Markdown text={r.answer} />
            </div>
          ) : canAnswer ? (
            <RegradeAnswerForm id={r.id} rubric={rubric} />
          ) : (
            <p className="hint">Waiting for a grader.</p>
          )}
        </li>
      ))}
    </ol>
  );
}
