import { readNotebook } from "@course/notebook";
import type { Metadata } from "next";
import Link from "next/link";
import { MarkReadOnOpen } from "~/components/homework/notification-list";
import { explainFailure, failureDetails } from "~/components/homework/failure";
import { FailureView } from "~/components/homework/failure-view";
import { SubmissionLive } from "~/components/homework/submission-live";
import { CommentList } from "~/components/grading/comment-list";
import { StudentFeedback } from "~/components/grading/student-feedback";
import { NotebookView } from "~/components/notebook";
import { requireUser } from "~/server/auth/session";
import { getDb } from "~/server/db";
import { myFeedback } from "~/server/grading/assignment-rubric";
import { orNotFound } from "~/server/page-data";
import { deadlinePassed } from "~/server/homework/assignments";
import { MAX_FINALS } from "~/server/homework/ranking";
import { submissionFor, submissionWithFiles } from "~/server/homework/student";
import { formatBytes, formatUtc } from "~/lib/format";

export const metadata: Metadata = { title: "Submission" };

interface Props {
  params: Promise<{ id: string }>;
}

function parseExecuted(text: string | null) {
  if (!text) return null;
  try {
    return readNotebook(text);
  } catch {
    return null;
  }
}

/** One submission: live status, scores, downloads and the executed notebook. Its student, graders and admins only. */
export default async function SubmissionPage({ params }: Props) {
  const { id } = await params;
  const user = await requireUser("student", `/homework/submissions/${id}`);
  const { prisma } = await getDb();
  const { assignment, ...sub } = await orNotFound(submissionWithFiles(prisma, id, user));
  const executed = parseExecuted(sub.job.executedNotebook);
  const submitted = executed ? null : parseExecuted(sub.notebook);
  const mine = sub.userId === user.id;
  // A failed run explained with the notebook at hand: the exception, its cell (In [n]) and the source around it.
  const failed = sub.job.status === "failed" || sub.job.status === "cancelled" ? sub.job.status : null;
  const failure = failed
    ? explainFailure({ reason: sub.job.failureReason, state: failed, message: sub.job.lastError, executed, submitted })
    : null;
  // The student's own returned review only (never a draft); graders review at /grading/submissions/[id].
  const feedback = mine ? await myFeedback(prisma, sub.id, user) : null;
  const commentsFor = (cell: number) => {
    const comments = feedback?.comments.filter((c) => c.cellIndex === cell) ?? [];
    return comments.length > 0 ? <CommentList comments={comments} /> : null;
  };

  return (
    <div className="stack">
      {mine ? <MarkReadOnOpen link={`/homework/submissions/${sub.id}`} /> : null}
      <div>
        <p className="hint">
          <Link href={`/homework/${sub.assignmentSlug}`}>{assignment ? `Homework: ${assignment.title}` : sub.assignmentSlug}</Link>
          {!mine ? (
            <>
              {" · viewing as grader · "}
              <Link href={`/grading/submissions/${sub.id}`}>Review it</Link>
            </>
          ) : null}
        </p>
        <h1>{sub.fileName}</h1>
        <p className="hint">
          Submitted {formatUtc(sub.createdAt)} · {formatBytes(sub.size)} · SHA-256 <code>{sub.sha256.slice(0, 12)}</code>
        </p>
      </div>
      <section className="card" aria-label="Status">
        <SubmissionLive id={sub.id} slug={sub.assignmentSlug} maxFinals={MAX_FINALS} locked={!assignment || deadlinePassed(assignment)} initial={await submissionFor(prisma, sub.id, user)} hideFailure={failure !== null} />
        {failure ? <FailureView explanation={failure} details={failureDetails(sub.job.failureReason, sub.job.lastError)} /> : null}
      </section>
      <p style={{ display: "flex", gap: 10, flexWrap: "wrap" }}>
        <a className="button secondary" href={`/api/submissions/${sub.id}/submitted.ipynb`} download>
          Download what you submitted
        </a>
        {sub.job.executedNotebook ? (
          <a className="button secondary" href={`/api/submissions/${sub.id}/executed.ipynb`} download data-testid="download-executed">
            Download the executed notebook
          </a>
        ) : null}
        {sub.job.submissionCsv ? (
          <a className="button secondary" href={`/api/submissions/${sub.id}/submission.csv`} download data-testid="download-csv">
            Download submission.csv
          </a>
        ) : null}
      </p>
      {feedback ? <StudentFeedback submissionId={sub.id} feedback={feedback} /> : null}
      {executed ? (
        <section aria-labelledby="executed-heading">
          <h2 id="executed-heading">Executed notebook</h2>
          <NotebookView notebook={executed} label="Executed notebook" renderCellExtra={commentsFor} highlightCell={failure?.exception?.cellIndex ?? undefined} />
        </section>
      ) : sub.job.executedNotebook ? (
        <div className="alert error">The executed notebook could not be read; download it to inspect it.</div>
      ) : feedback && feedback.comments.length > 0 && submitted ? (
        // Not executed (it failed): the grader commented on the submitted notebook.
        <section aria-labelledby="submitted-heading">
          <h2 id="submitted-heading">Submitted notebook</h2>
          <NotebookView notebook={submitted} label="Submitted notebook" renderCellExtra={commentsFor} />
        </section>
      ) : null}
    </div>
  );
}
