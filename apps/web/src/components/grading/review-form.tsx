"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useTRPC } from "~/trpc/react";
import styles from "./grading.module.css";
import { PointsInput, readPoints, type PointsCriterion } from "./points-input";

export type RubricRow = PointsCriterion;

/** Per-criterion points and overall feedback; "Save draft" keeps it from the student, "Return to student" publishes it. */
export function ReviewForm({ submissionId, rubric, feedback, status }: { submissionId: string; rubric: RubricRow[]; feedback: string; status: "draft" | "returned" | null }) {
  const trpc = useTRPC();
  const router = useRouter();
  const save = useMutation(trpc.grading.saveReview.mutationOptions());
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    const action = submitter?.value === "return" ? "return" : "draft";
    const form = new FormData(event.currentTarget);
    const scores = readPoints(form, rubric);
    setMessage(null);
    try {
      await save.mutateAsync({ submissionId, scores, feedback: String(form.get("feedback") ?? ""), action });
      setMessage({ ok: true, text: action === "return" ? "Returned to the student." : "Draft saved." });
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
      <div className={styles.pointsList} role="group" aria-label="Points per criterion">
        {rubric.map((c) => (
          <PointsInput key={c.id} criterion={c} prefix="points" />
        ))}
      </div>
      <p className="hint">Out of {total} points.</p>
      <div className="field">
        <label htmlFor="feedback">Overall feedback</label>
        <textarea id="feedback" name="feedback" className={styles.textarea} defaultValue={feedback} maxLength={20000} placeholder="Markdown is fine." />
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
