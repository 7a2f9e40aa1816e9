"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { useTRPC } from "~/trpc/react";
import styles from "./moderation.module.css";

const LEVELS = ["0 new", "1 basic", "2 member", "3 regular", "4 leader"] as const;

/** `YYYY-MM-DDTHH:MM` for a datetime-local input, `days` from now (UTC, as every date on the site). */
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 16);

function ErrorLine({ error }: { error: { message: string } | null }) {
  return error ? (
    <div className="alert error" role="alert">
      {error.message}
    </div>
  ) : null;
}

/** An admin sets a member's trust level, locked there (automatic promotion leaves it) or not. */
export function TrustLevelForm({ userId, level, locked }: { userId: string; level: number; locked: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const id = useId();
  const [value, setValue] = useState(level);
  const [lock, setLock] = useState(locked);
  const [reason, setReason] = useState("");
  const set = useMutation(trpc.forumModeration.setTrustLevel.mutationOptions({ onSuccess: () => router.refresh() }));
  return (
    <form
      className={styles.form}
      aria-label="Trust level"
      onSubmit={(e) => {
        e.preventDefault();
        set.mutate({ userId, level: value, locked: lock, reason });
      }}
    >
      <div className={styles.actions}>
        <label htmlFor={`${id}-level`} style={{ margin: 0 }}>
          Trust level
        </label>
        <select id={`${id}-level`} value={value} onChange={(e) => setValue(Number(e.target.value))}>
          {LEVELS.map((l, i) => (
            <option key={l} value={i}>
              {l}
            </option>
          ))}
        </select>
        <label style={{ fontWeight: 400, margin: 0 }}>
          <input type="checkbox" checked={lock} onChange={(e) => setLock(e.target.checked)} /> locked
        </label>
      </div>
      <input type="text" aria-label="Reason (for the log)" placeholder="Reason (for the log)" value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
      <div className="hint">Lock a level to hold it where you set it: unlocked, activity promotes the member again (never down, never to 4).</div>
      <div>
        <button type="submit" className={`button ${styles.small}`} disabled={set.isPending}>
          Set trust level
        </button>
      </div>
      <ErrorLine error={set.error} />
      {set.isSuccess && <div role="status">Trust level {set.data.level}{set.data.locked ? ", locked" : ""}.</div>}
    </form>
  );
}

/** Silence (graders and admins) or suspend (admins): until a date, with a reason; or lift it early. */
export function SanctionForm({ userId, kind, active }: { userId: string; kind: "silence" | "suspend"; active: { until: string; reason: string } | null }) {
  const trpc = useTRPC();
  const router = useRouter();
  const id = useId();
  const [until, setUntil] = useState(inDays(kind === "silence" ? 3 : 7));
  const [reason, setReason] = useState("");
  const options = { onSuccess: () => router.refresh() };
  const silence = useMutation(trpc.forumModeration.silence.mutationOptions(options));
  const suspend = useMutation(trpc.forumModeration.suspend.mutationOptions(options));
  const unsilence = useMutation(trpc.forumModeration.unsilence.mutationOptions(options));
  const unsuspend = useMutation(trpc.forumModeration.unsuspend.mutationOptions(options));
  const [impose, lift] = kind === "silence" ? [silence, unsilence] : [suspend, unsuspend];
  const verb = kind === "silence" ? "Silence" : "Suspend";
  return (
    <form
      className={styles.form}
      aria-label={verb}
      onSubmit={(e) => {
        e.preventDefault();
        impose.mutate({ userId, until: new Date(`${until}:00Z`), reason });
      }}
    >
      <div className={styles.actions}>
        <label htmlFor={`${id}-until`} style={{ margin: 0 }}>
          {verb} until (UTC)
        </label>
        <input id={`${id}-until`} type="datetime-local" value={until} required onChange={(e) => setUntil(e.target.value)} />
      </div>
      <input type="text" aria-label={`Reason to ${kind}`} placeholder="Reason (the member and the log see it)" value={reason} required maxLength={500} onChange={(e) => setReason(e.target.value)} />
      <div className={styles.actions}>
        <button type="submit" className={`button ${styles.small}`} disabled={impose.isPending}>
          {active ? `${verb} until this date instead` : verb}
        </button>
        {active && (
          <button type="button" className={`button secondary ${styles.small}`} disabled={lift.isPending} onClick={() => lift.mutate({ userId, reason })}>
            {kind === "silence" ? "Unsilence" : "Unsuspend"} now
          </button>
        )}
      </div>
      <ErrorLine error={impose.error ?? lift.error} />
    </form>
  );
}
