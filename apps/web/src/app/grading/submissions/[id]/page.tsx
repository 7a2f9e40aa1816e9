import { readNotebook } from "@course/notebook";
import type { Metadata } from "next";
import Link from "next/link";
import { CellCommentForm } from "~/components/grading/cell-comment-form";
import { CommentList } from "~/components/grading/comment-list";
import styles from "~/components/grading/grading.module.css";
import { Markdown } from "~/components/grading/markdown";
import { RegradeHistory } from "~/components/grading/regrade-history";
import { ReviewForm } from "~/components/grading/review-form";
import { TextHistory } from "~/components/grading/text-history";
import { explainFailure, failureDetails } from "~/components/homework/failure";
import { FailureView } from "~/components/homework/failure-view";
import { NotebookView } from "~/components/notebook";
import { cellLabels } from "~/components/notebook/cell-labels";
import { hasRole } from "~/server/auth/roles";
import { requireUser } from "~/server/auth/session";
import { getDb } from "~/server/db";
import { reviewSubmission } from "~/server/grading/assignment-rubric";
import { submissionFor, submissionWithFiles } from "~/server/homework/student";
import { orNotFound } from "~/server/page-data";
import { formatLogLoss, formatPercent, formatUtc } from "~/lib/format";

export const metadata: Metadata = { title: "Review a submission" };

interface Props {
  params: Promise<{ id: string }>;
}

function parse(text: string | null) {
  if (!text) return null;
  try {
    return readNotebook(text);
  } catch {
    return null;
  }
}

/** One submission as a grader reviews it (graders and admins only). */
export default async function GradeSubmissionPage({ params }: Props) {
  const { id } = await params;
  const user = await requireUser("grader", `/grading/submissions/${id}`);
  const { prisma } = await getDb();
  const { assignment, ...row } = await orNotFound(submissionWithFiles(prisma, id, user));
  const [view, status] = await Promise.all([reviewSubmission(prisma, id), submissionFor(prisma, id, user)]);
  const executed = parse(row.job.executedNotebook);
  const notebook = executed ?? parse(row.notebook);
  const editor = { id: user.id, admin: hasRole(user.role, "admin") };
  const labels = notebook ? cellLabels(notebook) : [];
  const renderCellExtra = (cell: number) => (
    <>
      <CommentList comments={view.comments.filter((c) => c.cellIndex === cell)} editor={editor} />
      <CellCommentForm submissionId={id} cellIndex={cell} label={labels[cell] ?? `cell ${cell + 1}`} />
    </>
  );

  return (
    <div className="stack">
      <div>
        <p className="hint">
          <Link href="/grading">Grading queue</Link> · {assignment?.title ?? view.assignmentSlug} ·{" "}
          <Link href={`/homework/submissions/${id}`}>student's view</Link>
        </p>
        <h1>{view.fileName}</h1>
        <p data-testid="student">
          By <strong>{view.student.name ?? view.student.email}</strong> ({view.student.email}) · submitted {formatUtc(view.createdAt)}
        </p>
      </div>
      {status ? (
        <section className="card" aria-label="Run" data-testid="run-status">
          <p>
            Job: <strong>{status.state}</strong> · attempts {status.attempts}
            {status.finishedAt ? ` · finished ${formatUtc(status.finishedAt)}` : ""}
          </p>
          {status.publicScore ? (
            <p data-testid="grader-scores">
              Public log loss {formatLogLoss(status.publicScore.logLoss)}, accuracy {formatPercent(status.publicScore.accuracy)}
              {status.privateScore ? ` · private log loss ${formatLogLoss(status.privateScore.logLoss)}, accuracy ${formatPercent(status.privateScore.accuracy)}` : ""}
            </p>
          ) : null}
          {status.state === "failed" || status.state === "cancelled" ? (
            <FailureView
              explanation={explainFailure({ reason: status.failureReason, state: status.state, message: status.lastError, executed, submitted: executed ? null : notebook })}
              details={failureDetails(status.failureReason, status.lastError)}
            />
          ) : null}
          {status.logTail.length > 0 ? (
            <details>
              <summary>Notebook output (last {status.logTail.length} lines)</summary>
              <pre className={styles.log} data-testid="grader-log">
                {status.logTail.map((l) => `[${l.stream}] ${l.text}`).join("\n")}
              </pre>
            </details>
          ) : null}
        </section>
      ) : null}
      {/* Keyed by the submission only: a refresh after a save must not reset the text a grader is typing (saves merge). */}
      <ReviewForm key={id} submissionId={id} rubric={view.rubric} feedback={view.feedback.body} feedbackBaseNumber={view.feedback.baseNumber} status={view.review?.status ?? null} />
      {view.review ? (
        <section className="card" aria-label="Feedback history">
          <TextHistory text={{ of: "feedback", submissionId: id }} label="Feedback history" />
        </section>
      ) : null}
      {view.review?.status === "returned" && view.review.feedback ? (
        <section className="card" aria-label="Returned feedback">
          <p className="hint">
            Returned {view.review.returnedAt ? formatUtc(view.review.returnedAt) : ""} by {view.review.grader ?? "a grader"}: {view.total.total} / {view.total.max}
          </p>
          <Markdown text={view.review.feedback} />
        </section>
      ) : null}
      <section className="card stack" aria-labelledby="regrades-heading">
        <h2 id="regrades-heading" style={{ margin: 0 }}>
          Regrade requests
        </h2>
        <RegradeHistory items={view.regrades} canAnswer rubric={view.review?.status === "returned" ? view.rubric : []} />
      </section>
      {notebook ? (
        <section aria-labelledby="nb-heading">
          <h2 id="nb-heading">{executed ? "Executed notebook" : "Submitted notebook (not executed)"}</h2>
          <NotebookView notebook={notebook} label={executed ? "Executed notebook" : "Submitted notebook"} renderCellExtra={renderCellExtra} />
        </section>
      ) : (
        <div className="alert error">The notebook could not be read; download it from the student's view.</div>
      )}
    </div>
  );
}
