"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useTRPC } from "~/trpc/react";
import styles from "./grading.module.css";

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

/** A grader's answer to an open regrade request. */
export function RegradeAnswerForm({ id }: { id: string }) {
  const trpc = useTRPC();
  const answer = useMutation(trpc.grading.answerRegrade.mutationOptions());
  const { message, text, setText, onSubmit } = useSubmit((a) => answer.mutateAsync({ id, answer: a }), "Answer sent.");
  return (
    <form onSubmit={onSubmit} className="stack" style={{ gap: 8 }}>
      <Message message={message} />
      <label htmlFor={`answer-${id}`}>Your answer</label>
      <textarea id={`answer-${id}`} className={styles.textarea} value={text} onChange={(e) => setText(e.target.value)} maxLength={2000} required />
      <div>
        <button className="button" type="submit" disabled={answer.isPending}>
          Send answer
        </button>
      </div>
    </form>
  );
}
