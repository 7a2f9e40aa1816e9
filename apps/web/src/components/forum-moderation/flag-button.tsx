"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { useTRPC } from "~/trpc/react";
import styles from "./moderation.module.css";

const REASONS = [
  { value: "spam", label: "Spam", hint: "advertising, or links that have nothing to do with the course" },
  { value: "inappropriate", label: "Inappropriate", hint: "rude, abusive or not for a classroom" },
  { value: "off-topic", label: "Off-topic", hint: "belongs in another topic or category" },
  { value: "other", label: "Something else", hint: "say what in the note" },
] as const;
type Reason = (typeof REASONS)[number]["value"];

/**
 * "Flag" under a post (members from trust level 1; the server decides, the post view's `can.flag` hides the button):
 * a reason and an optional note, sent to the moderators' review queue.
 */
export function FlagButton({ postId, postNumber }: { postId: string; postNumber: number }) {
  const trpc = useTRPC();
  const router = useRouter();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState<Reason>("spam");
  const [note, setNote] = useState("");
  const flag = useMutation(trpc.forumModeration.flag.mutationOptions({ onSuccess: () => router.refresh() }));

  if (flag.isSuccess) {
    return (
      <span role="status" className={styles.meta}>
        {flag.data.hidden ? "Flagged: the post is now hidden until a moderator reviews it." : "Flagged: thank you, a moderator will review it."}
      </span>
    );
  }
  if (!open) {
    return (
      <button type="button" className={`button link ${styles.small}`} onClick={() => setOpen(true)} aria-label={`Flag post ${postNumber}`}>
        Flag
      </button>
    );
  }
  return (
    <form
      className={styles.flagForm}
      aria-label={`Flag post ${postNumber}`}
      onSubmit={(event) => {
        event.preventDefault();
        flag.mutate({ postId, reason, note });
      }}
    >
      <fieldset>
        <legend>Why should moderators look at this post?</legend>
        {REASONS.map((r) => (
          <label key={r.value}>
            <input type="radio" name={`${id}-reason`} value={r.value} checked={reason === r.value} onChange={() => setReason(r.value)} />
            <span>
              <strong>{r.label}</strong> <span className={styles.meta}>— {r.hint}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <div>
        <label htmlFor={`${id}-note`}>Note {reason === "other" ? "(required)" : "(optional)"}</label>
        <input id={`${id}-note`} type="text" value={note} maxLength={500} required={reason === "other"} onChange={(e) => setNote(e.target.value)} />
      </div>
      {flag.error && (
        <div className="alert error" role="alert">
          {flag.error.message}
        </div>
      )}
      <div className={styles.actions}>
        <button type="submit" className={`button ${styles.small}`} disabled={flag.isPending}>
          {flag.isPending ? "Flagging…" : "Flag post"}
        </button>
        <button type="button" className={`button secondary ${styles.small}`} onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
