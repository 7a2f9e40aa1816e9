import type { studentFeedback } from "~/server/grading/reviews";
import styles from "./grading.module.css";
import { Markdown } from "./markdown";
import { RegradeRequestForm } from "./regrade-forms";
import { RegradeHistory } from "./regrade-history";
import { formatUtc } from "~/lib/format";

type Feedback = Awaited<ReturnType<typeof studentFeedback>>;

/** What the student sees of the grading: the returned review, and their regrade requests. */
export function StudentFeedback({ submissionId, feedback }: { submissionId: string; feedback: Feedback }) {
  const { review } = feedback;
  return (
    <section className="card stack" aria-labelledby="feedback-heading" data-testid="feedback">
      <h2 id="feedback-heading" style={{ margin: 0 }}>
        Feedback
      </h2>
      {!review ? (
        <p className="hint" data-testid="no-feedback">
          No feedback yet: a grader has not returned this submission.
        </p>
      ) : (
        <>
          <p className="hint">Returned {review.returnedAt ? formatUtc(review.returnedAt) : ""}.</p>
          <table className={styles.rubric} data-testid="rubric-scores">
            <thead>
              <tr>
                <th>Criterion</th>
                <th>Points</th>
              </tr>
            </thead>
            <tbody>
              {review.criteria.map((c) => (
                <tr key={c.id}>
                  <td>
                    <strong>{c.title}</strong>
                    <p className="hint">{c.description}</p>
                  </td>
                  <td>
                    {c.points ?? "–"} / {c.maxPoints}
                  </td>
                </tr>
              ))}
              <tr>
                <th>Total</th>
                <th data-testid="rubric-total">
                  {review.total} / {review.max}
                </th>
              </tr>
            </tbody>
          </table>
          {review.feedback ? <Markdown text={review.feedback} testId="feedback-text" /> : null}
          {feedback.comments.length > 0 ? (
            <p className="hint">
              {feedback.comments.length === 1 ? "1 comment" : `${feedback.comments.length} comments`} under cells of the executed notebook below.
            </p>
          ) : null}
        </>
      )}
      {review || feedback.regrades.length > 0 ? (
        <div className="stack" style={{ gap: 10 }}>
          <h3 style={{ margin: 0 }}>Regrade requests</h3>
          <RegradeHistory items={feedback.regrades} canAnswer={false} />
          {feedback.canRequestRegrade ? <RegradeRequestForm submissionId={submissionId} /> : review ? <p className="hint">Your open request must be answered before you ask again.</p> : null}
        </div>
      ) : null}
    </section>
  );
}
