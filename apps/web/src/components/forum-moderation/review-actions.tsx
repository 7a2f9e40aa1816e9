"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { useTRPC } from "~/trpc/react";
import styles from "./moderation.module.css";

type Decision = "agree" | "disagree" | "ignore";

/** A review queue item's decisions: agree (keep hidden), agree and delete, disagree (show again), ignore. */
export function ReviewActions({ postId, postNumber, hidden }: { postId: string; postNumber: number; hidden: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const id = useId();
  const [reason, setReason] = useState("");
  const review = useMutation(trpc.forumModeration.review.mutationOptions({ onSuccess: () => router.refresh() }));
  const decide = (decision: Decision, deletePost = false) => review.mutate({ postId, decision, deletePost, reason });
  const busy = review.isPending || review.isSuccess;
  return (
    <div className="stack" style={{ gap: 8 }}>
      <div className={styles.actions}>
        <label htmlFor={`${id}-reason`} className={styles.visuallyHidden}>
          Note for the log (post {postNumber})
        </label>
        <input id={`${id}-reason`} type="text" placeholder="Note for the log and the author (optional)" value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
      </div>
      <div className={styles.actions} role="group" aria-label={`Decide the flags on post ${postNumber}`}>
        <button type="button" className={`button ${styles.small}`} disabled={busy} onClick={() => decide("agree")}>
          Agree{hidden ? ", keep hidden" : ", hide"}
        </button>
        <button type="button" className={`button ${styles.small}`} disabled={busy} onClick={() => decide("agree", true)}>
          Agree and delete
        </button>
        <button type="button" className={`button secondary ${styles.small}`} disabled={busy} onClick={() => decide("disagree")}>
          Disagree{hidden ? ", show again" : ""}
        </button>
        <button type="button" className={`button secondary ${styles.small}`} disabled={busy} onClick={() => decide("ignore")}>
          Ignore
        </button>
      </div>
      {review.error && (
        <div className="alert error" role="alert">
          {review.error.message}
        </div>
      )}
      {review.isSuccess && <div role="status" className={styles.meta}>Decided: {review.data.decision}.</div>}
    </div>
  );
}
