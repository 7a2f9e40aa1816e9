"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "~/trpc/react";
import { EditConflictNotice, mergedNote, type EditConflict } from "./edit-conflict";
import styles from "./grading.module.css";

/**
 * Edit or delete one's own cell comment. The edit names the revision it started from (`baseNumber`): edits saved
 * meanwhile are merged in, overlapping ones show the conflict and keep the grader's text.
 */
export function CommentActions({ id, body, baseNumber }: { id: string; body: string; baseNumber: number }) {
  const trpc = useTRPC();
  const router = useRouter();
  const edit = useMutation(trpc.grading.editComment.mutationOptions());
  const remove = useMutation(trpc.grading.deleteComment.mutationOptions());
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(body);
  const [base, setBase] = useState(baseNumber);
  const [conflict, setConflict] = useState<EditConflict | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  function startEditing() {
    // Start from the text and revision the page shows now.
    setText(body);
    setBase(baseNumber);
    setConflict(null);
    setNote(null);
    setEditing(true);
  }
  async function saveEdit() {
    setError(null);
    setNote(null);
    try {
      const result = await edit.mutateAsync({ id, body: text, baseNumber: base });
      if (result.outcome === "conflict") {
        setConflict(result.conflict);
        setBase(result.conflict.currentNumber);
        return;
      }
      setConflict(null);
      if (result.merged) setNote(mergedNote(result.mergedWith));
      setEditing(false);
      router.refresh();
    } catch (e) {
      setError((e as Error).message);
    }
  }
  async function onDelete() {
    setError(null);
    try {
      await remove.mutateAsync({ id });
      router.refresh();
    } catch (e) {
      setError((e as Error).message);
    }
  }
  return (
    <div className="stack" style={{ gap: 8 }}>
      {note ? <p className="alert ok" role="status">{note}</p> : null}
      {editing && conflict ? <EditConflictNotice conflict={conflict} what="comment" /> : null}
      <div className={styles.actions}>
        {error ? <span role="alert" className="alert error">{error}</span> : null}
        {editing ? (
          <>
            <textarea className={styles.textarea} aria-label="Edit comment" value={text} onChange={(e) => setText(e.target.value)} maxLength={5000} />
            <button type="button" className="button secondary" disabled={edit.isPending} onClick={saveEdit}>
              Save comment
            </button>
          </>
        ) : (
          <button type="button" className="button link" onClick={startEditing}>
            Edit
          </button>
        )}
        <button type="button" className="button link" disabled={remove.isPending} onClick={onDelete}>
          Delete
        </button>
      </div>
    </div>
  );
}
