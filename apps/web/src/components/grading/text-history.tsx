"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { RevisionDiff } from "~/components/revisions";
import { useTRPC } from "~/trpc/react";
import styles from "./grading.module.css";
import { formatUtc } from "~/lib/format";

export type GradingTextRef = { of: "feedback"; submissionId: string } | { of: "comment"; commentId: string };

/**
 * "History": the revisions of a feedback or cell comment (number, author, time, summary), loaded when opened, and the
 * diff between any two of them, inline or side by side. Graders only (the procedures check).
 */
export function TextHistory({ text, label = "History" }: { text: GradingTextRef; label?: string }) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const history = useQuery(trpc.grading.history.queryOptions({ text }, { enabled: open }));
  const revisions = history.data ?? [];
  const newest = revisions[0]?.number ?? 0;
  const [picked, setPicked] = useState<{ from: number; to: number } | null>(null);
  const from = picked?.from ?? Math.max(newest - 1, 0);
  const to = picked?.to ?? newest;
  const [view, setView] = useState<"inline" | "side-by-side">("inline");
  const diff = useQuery(trpc.grading.historyDiff.queryOptions({ text, from, to }, { enabled: open && newest > 0 }));
  const name = (n: number) => (n === 0 ? "the empty text" : `revision ${n}`);
  const choices = [...revisions.map((r) => r.number), 0];
  return (
    <details className={styles.history} open={open} onToggle={(e) => setOpen(e.currentTarget.open)} data-testid="text-history">
      <summary>{label}</summary>
      {history.isPending && open ? <p className="hint">Loading…</p> : null}
      {history.error ? <p className="alert error" role="alert">{history.error.message}</p> : null}
      {history.data && revisions.length === 0 ? <p className="hint">Not saved yet.</p> : null}
      {revisions.length > 0 ? (
        <div className="stack" style={{ gap: 10, marginTop: 8 }}>
          <ol className={styles.revisions} aria-label="Revisions">
            {revisions.map((r) => (
              <li key={r.number} data-testid="revision">
                <strong>#{r.number}</strong> {r.author} · {formatUtc(r.createdAt)}
                {r.merged ? <span className="badge">merged</span> : null}
                {r.summary ? <span className="hint"> · {r.summary}</span> : null}
              </li>
            ))}
          </ol>
          <div className={styles.filters} role="group" aria-label="Compare revisions">
            <RevisionSelect label="From" value={from} choices={choices} onChange={(n) => setPicked({ from: n, to })} />
            <RevisionSelect label="To" value={to} choices={choices} onChange={(n) => setPicked({ from, to: n })} />
            <fieldset className={styles.viewToggle}>
              <legend>View</legend>
              <label>
                <input type="radio" name={`view-${JSON.stringify(text)}`} checked={view === "inline"} onChange={() => setView("inline")} /> Inline
              </label>
              <label>
                <input type="radio" name={`view-${JSON.stringify(text)}`} checked={view === "side-by-side"} onChange={() => setView("side-by-side")} /> Side by side
              </label>
            </fieldset>
          </div>
          {diff.error ? <p className="alert error" role="alert">{diff.error.message}</p> : null}
          {diff.data ? <RevisionDiff diff={diff.data} view={view} oldLabel={name(from)} newLabel={name(to)} /> : null}
        </div>
      ) : null}
    </details>
  );
}

/** A revision to compare: `#n`, or 0 for the empty text before the first. */
function RevisionSelect({ label, value, choices, onChange }: { label: string; value: number; choices: number[]; onChange: (n: number) => void }) {
  return (
    <label>
      {label}
      <select value={value} onChange={(e) => onChange(Number(e.target.value))}>
        {choices.map((n) => (
          <option key={n} value={n}>
            {n === 0 ? "empty" : `#${n}`}
          </option>
        ))}
      </select>
    </label>
  );
}
