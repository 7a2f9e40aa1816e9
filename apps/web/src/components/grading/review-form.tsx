"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useTRPC } from "~/trpc/react";
import { EditConflictNotice, mergedNote, type EditConflict } from "./edit-conflict";
import styles from "./grading.module.css";
import { PointsInput, readPoints, type PointsCriterion } from "./points-input";

export type RubricRow = PointsCriterion;

interface Props {
  submissionId: string;
  rubric: RubricRow[];
  /** the feedback as its current revision holds it, and that revision's number (0 before the first save) */
  feedback: string;
  feedbackBaseNumber: number;
  status: "draft" | "returned" | null;
}

/**
 * Per-criterion points and overall feedback; "Save draft" keeps it from the student, "Return to student" publishes it.
 * The save names the revision the grader started from: another grader's edits saved meanwhile are merged in (the box
 * then shows the merged text), and overlapping edits save nothing and show the conflict above the grader's own text.
 */
export function ReviewForm({ submissionId, rubric, feedback, feedbackBaseNumber, status }: Props) {
  const trpc = useTRPC();
  const router = useRouter();
  const save = useMutation(trpc.grading.saveReview.mutationOptions());
  const [text, setText] = useState(feedback);
  const [base, setBase] = useState(feedbackBaseNumber);
  const [conflict, setConflict] = useState<EditConflict | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    const action = submitter?.value === "return" ? "return" : "draft";
    const scores = readPoints(new FormData(event.currentTarget), rubric);
    setMessage(null);
    try {
      const result = await save.mutateAsync({ submissionId, scores, feedback: text, feedbackBaseNumber: base, action });
      if (result.outcome === "conflict") {
        // Keep the grader's text; their next save is against the version they have now seen.
        setConflict(result.conflict);
        setBase(result.conflict.currentNumber);
        return;
      }
      setConflict(null);
      setBase(result.feedbackBaseNumber);
      setText(result.feedback);
      const done = action === "return" ? "Returned to the student." : "Draft saved.";
      setMessage({ ok: true, text: result.mergedWith.length > 0 ? `${done} ${mergedNote(result.mergedWith)}` : done });
      router.refresh();
    } catch (e) {
      setMessage({ ok: false, text: (e as Error).message });
    }
  }
  const total = rubric.reduce((s, c) => s + c.maxPoints, 0);
  return (
    <form onSubmit={onSubmit} className="card" aria-labelledby="review-heading" data-testid="review-form">
      <h2 id="review-heading" style={{ marginTop: 0 }}>
        Review {status ? <span className="badge" data-testid="review-status">{status === "returned" ? "Returned" : "Draft"}</span> : null}
      </h2>
      {message ? (
        <div className={`alert ${message.ok ? "ok" : "error"}`} role={message.ok ? "status" : "alert"}>
          {message.text}
        </div>
      ) : null}
      {rubric.length === 0 ? <p className="alert error">This assignment has no rubric (its file is missing or broken).</p> : null}
      {/* Keyed by the saved points: when they change (a save, or a regrade answer with new points) the inputs show them;
          the feedback box keeps its state, so a refresh never drops text being typed. */}
      <div key={rubric.map((c) => c.points ?? "").join("|")} className={styles.pointsList} role="group" aria-label="Points per criterion">
        {rubric.map((c) => (
          <PointsInput key={c.id} criterion={c} prefix="points" />
        ))}
      </div>
      <p className="hint">Out of {total} points.</p>
      {conflict ? <EditConflictNotice conflict={conflict} what="feedback" /> : null}
      <div className="field">
        <label htmlFor="feedback">Overall feedback</label>
        <textarea
          id="feedback"
          name="feedback"
          className={styles.textarea}
          value={text}
          onChange={(e) => setText(e.target.value)}
          maxLength={20000}
          placeholder="Markdown is fine."
        />
      </div>
      <div className={styles.actions}>
        <button className="button secondary" type="submit" name="action" value="draft" disabled={save.isPending || status === "returned"}>
          Save draft
        </button>
        <button className="button" type="submit" name="action" value="return" disabled={save.isPending}>
          Return to student
        </button>
        {status === "returned" ? <span className="hint">Already returned: returning again publishes your changes and notifies the student.</span> : null}
      </div>
    </form>
  );
}
