"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useTRPC } from "~/trpc/react";
import styles from "./grading.module.css";

/** "Comment on cell N": a markdown comment under any cell of the notebook. */
export function CellCommentForm({ submissionId, cellIndex }: { submissionId: string; cellIndex: number }) {
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
      <summary>Comment on cell {cellIndex + 1}</summary>
      <form onSubmit={onSubmit} className="stack" style={{ gap: 8, marginTop: 8 }}>
        {error ? <div className="alert error" role="alert">{error}</div> : null}
        <textarea
          className={styles.textarea}
          aria-label={`Comment on cell ${cellIndex + 1}`}
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
