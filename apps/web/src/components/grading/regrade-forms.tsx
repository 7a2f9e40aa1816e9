"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useTRPC } from "~/trpc/react";
import styles from "./grading.module.css";
import { PointsInput, readPoints, type PointsCriterion } from "./points-input";
import { formText } from "~/lib/form-text";

function useSubmit(work: (text: string) => Promise<unknown>, done: string) {
  const router = useRouter();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [text, setText] = useState("");
  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setMessage(null);
    try {
      await work(text);
      setText("");
      setMessage({ ok: true, text: done });
      router.refresh();
    } catch (e) {
      setMessage({ ok: false, text: (e as Error).message });
    }
  }
  return { message, text, setText, onSubmit };
}

function Message({ message }: { message: { ok: boolean; text: string } | null }) {
  if (!message) return null;
  return (
    <div className={`alert ${message.ok ? "ok" : "error"}`} role={message.ok ? "status" : "alert"}>
      {message.text}
    </div>
  );
}

/** The student's request for another look at a returned review. */
export function RegradeRequestForm({ submissionId }: { submissionId: string }) {
  const trpc = useTRPC();
  const ask = useMutation(trpc.grading.requestRegrade.mutationOptions());
  const { message, text, setText, onSubmit } = useSubmit((reason) => ask.mutateAsync({ submissionId, reason }), "Regrade request sent.");
  return (
    <form onSubmit={onSubmit} className="stack" style={{ gap: 8 }} data-testid="regrade-form">
      <Message message={message} />
      <label htmlFor="regrade-reason">Why should it be looked at again?</label>
      <textarea id="regrade-reason" className={styles.textarea} value={text} onChange={(e) => setText(e.target.value)} maxLength={2000} required />
      <div>
        <button className="button" type="submit" disabled={ask.isPending}>
          Ask for a regrade
        </button>
      </div>
    </form>
  );
}

/**
 * A grader's answer to an open regrade request, with the review's points beside it: changing them returns the
 * changed review with the answer, in one step (the student is notified once).
 */
export function RegradeAnswerForm({ id, rubric }: { id: string; rubric: readonly PointsCriterion[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const answer = useMutation(trpc.grading.answerRegrade.mutationOptions());
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const points = readPoints(form, rubric);
    const changed = rubric.some((c) => (points[c.id] ?? null) !== c.points);
    setMessage(null);
    try {
      const result = await answer.mutateAsync({ id, answer: formText(form, "answer"), ...(changed ? { scores: points } : {}) });
      setMessage({ ok: true, text: result.scores ? "Answer sent with the new points; the review is returned." : "Answer sent." });
      router.refresh();
    } catch (e) {
      setMessage({ ok: false, text: (e as Error).message });
    }
  }
  return (
    <form onSubmit={onSubmit} className="stack" style={{ gap: 8 }} data-testid="regrade-answer-form">
      <Message message={message} />
      <label htmlFor={`answer-${id}`}>Your answer</label>
      <textarea id={`answer-${id}`} name="answer" className={styles.textarea} maxLength={2000} required />
      {rubric.length > 0 ? (
        <fieldset className={styles.pointsList}>
          <legend>Points after the regrade (change them to return the review with new points)</legend>
          {rubric.map((c) => (
            <PointsInput key={c.id} criterion={c} prefix={`regrade-${id}`} />
          ))}
        </fieldset>
      ) : null}
      <div>
        <button className="button" type="submit" disabled={answer.isPending}>
          Send answer
        </button>
      </div>
    </form>
  );
}
