"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useTRPC } from "~/trpc/react";
import styles from "./grading.module.css";

/** "Comment on In [n]": a markdown comment under a cell, named as the notebook shows it (`cellLabels`). */
export function CellCommentForm({ submissionId, cellIndex, label }: { submissionId: string; cellIndex: number; label: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const add = useMutation(trpc.grading.addComment.mutationOptions());
  const [body, setBody] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    try {
      await add.mutateAsync({ submissionId, cellIndex, body });
      setBody("");
      setOpen(false);
      router.refresh();
    } catch (e) {
      setError((e as Error).message);
    }
  }
  return (
    <details className={styles.commentForm} open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Comment on {label}</summary>
      <form onSubmit={onSubmit} className="stack" style={{ gap: 8, marginTop: 8 }}>
        {error ? <div className="alert error" role="alert">{error}</div> : null}
        <textarea
          className={styles.textarea}
          aria-label={`Comment on ${label}`}
          value={body}
          onChange={(e) => setBody(e.target.value)}
          maxLength={5000}
          required
          placeholder="Markdown is fine."
        />
        <div>
          <button className="button" type="submit" disabled={add.isPending}>
            Add comment
          </button>
        </div>
      </form>
    </details>
  );
}
