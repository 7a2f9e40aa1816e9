"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "~/trpc/react";
import styles from "./grading.module.css";

/** Edit or delete one's own cell comment. */
export function CommentActions({ id, body }: { id: string; body: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const edit = useMutation(trpc.grading.editComment.mutationOptions());
  const remove = useMutation(trpc.grading.deleteComment.mutationOptions());
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(body);
  const [error, setError] = useState<string | null>(null);
  async function run(work: () => Promise<unknown>) {
    setError(null);
    try {
      await work();
      setEditing(false);
      router.refresh();
    } catch (e) {
      setError((e as Error).message);
    }
  }
  return (
    <div className={styles.actions}>
      {error ? <span role="alert" className="alert error">{error}</span> : null}
      {editing ? (
        <>
          <textarea className={styles.textarea} aria-label="Edit comment" value={text} onChange={(e) => setText(e.target.value)} maxLength={5000} />
          <button type="button" className="button secondary" disabled={edit.isPending} onClick={() => run(() => edit.mutateAsync({ id, body: text }))}>
            Save comment
          </button>
        </>
      ) : (
        <button type="button" className="button link" onClick={() => setEditing(true)}>
          Edit
        </button>
      )}
      <button type="button" className="button link" disabled={remove.isPending} onClick={() => run(() => remove.mutateAsync({ id }))}>
        Delete
      </button>
    </div>
  );
}
