"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { usePostState } from "~/components/forum/conversation-context";
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
 * a reason and an optional note, sent to the moderators' review queue. Also a moderator's "Hide" / "Show" (HideButton).
 */
export function FlagButton({ postId, postNumber, onHidden }: { postId: string; postNumber: number; onHidden?: () => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState<Reason>("spam");
  const [note, setNote] = useState("");
  // A flag that hid the post changes it: the stream reloads it (or, outside a stream, the page refreshes).
  const flag = useMutation(
    trpc.forumModeration.flag.mutationOptions({
      onSuccess: (result) => {
        if (!result.hidden) return;
        if (onHidden) onHidden();
        else router.refresh();
      },
    }),
  );

  // A member flags a post once: a post they flagged before (this visit or an earlier one) says so instead.
  const flaggedBefore = usePostState(postId)?.flagged === true;

  if (flag.isSuccess) {
    return (
      <span role="status" className={styles.meta}>
        {flag.data.hidden ? "Flagged: the post is now hidden until a moderator reviews it." : "Flagged: thank you, a moderator will review it."}
      </span>
    );
  }
  if (flaggedBefore) {
    return (
      <span className={styles.meta} data-testid="flagged">
        You flagged this post
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

/** A grader's or admin's "Hide" (pending review) or "Show again" on a post, with an optional reason; logged. */
export function HideButton({ postId, postNumber, hidden, onChanged }: { postId: string; postNumber: number; hidden: boolean; onChanged: () => void }) {
  const trpc = useTRPC();
  const set = useMutation(trpc.forumModeration.setPostHidden.mutationOptions({ onSuccess: () => onChanged() }));
  return (
    <>
      <button
        type="button"
        className={`button link ${styles.small}`}
        disabled={set.isPending}
        aria-label={`${hidden ? "Show" : "Hide"} post ${postNumber}`}
        onClick={() => {
          const reason = window.prompt(hidden ? "Show this post again. Reason (for the log):" : "Hide this post pending review. Reason (the author and the log see it):", "");
          if (reason === null) return;
          set.mutate({ postId, hidden: !hidden, reason });
        }}
      >
        {hidden ? "Show" : "Hide"}
      </button>
      {set.error && (
        <span role="alert" className={styles.meta}>
          {set.error.message}
        </span>
      )}
    </>
  );
}
