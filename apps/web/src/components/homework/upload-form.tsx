"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useRef, useState, type DragEvent } from "react";
import { useTRPC } from "~/trpc/react";
import { refreshAfterWrite } from "~/trpc/refresh";
import styles from "./homework.module.css";
import { formatBytes, formatUtc } from "~/lib/format";

interface UploadError {
  error: string;
  code?: string;
  retryAt?: string;
  issues?: { path: string; message: string; line?: number; column?: number }[];
}

/** Retries after a network error (the request may have been stored before the connection dropped). */
const RETRY_DELAYS_MS = [1000, 3000];

/** A random key for one chosen file (crypto.randomUUID needs a secure context; getRandomValues does not). */
function newIdempotencyKey(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * POSTs the form, retrying with the same idempotency key when the connection fails: if the first attempt was stored
 * before the connection dropped, the server answers the retry with that submission instead of storing it twice.
 */
async function postWithRetry(url: string, form: FormData, key: string): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fetch(url, { method: "POST", body: form, headers: { "Idempotency-Key": key } });
    } catch (error) {
      const delay = RETRY_DELAYS_MS[attempt];
      if (delay === undefined) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/** `in 3 h 20 min` until `iso`. */
function waitUntil(iso: string): string {
  const minutes = Math.max(0, Math.ceil((new Date(iso).getTime() - Date.now()) / 60_000));
  return minutes >= 60 ? `in ${Math.floor(minutes / 60)} h ${minutes % 60} min` : `in ${minutes} min`;
}

/**
 * Drag and drop or pick a notebook; the server validates it at once and answers with a clear error or the new
 * submission. Past the daily limit (known from the page, or from the server's 429) the whole area is disabled with
 * one message saying when the next slot opens.
 */
export function UploadForm({
  slug,
  maxFileBytes,
  closedReason,
  dailyLimit,
  limitUntil,
}: {
  slug: string;
  maxFileBytes: number;
  closedReason: string | null;
  dailyLimit: number;
  /** When the next submission is allowed, if today's are used (ISO). */
  limitUntil: string | null;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<UploadError | null>(null);
  const [ok, setOk] = useState<string | null>(null);
  // The server's 429 may come before the page's own count catches up: either one disables the area.
  const [refusedUntil, setRefusedUntil] = useState<string | null>(null);
  const nextSlot = limitUntil ?? refusedUntil;
  const limitReason = nextSlot
    ? `You used today's ${dailyLimit} submission${dailyLimit === 1 ? "" : "s"}. The next one is allowed at ${formatUtc(nextSlot)}`
    : null;
  const disabledReason = closedReason ?? limitReason;
  const disabled = Boolean(disabledReason) || busy;

  async function send(file: File) {
    if (disabledReason) return;
    setError(null);
    setOk(null);
    if (file.size > maxFileBytes) {
      setError({ error: `${file.name} is ${formatBytes(file.size)}: the limit is ${formatBytes(maxFileBytes)}.` });
      return;
    }
    setBusy(true);
    try {
      const form = new FormData();
      form.set("assignment", slug);
      form.set("file", file);
      const res = await postWithRetry(`/api/submissions?assignment=${encodeURIComponent(slug)}`, form, newIdempotencyKey());
      const body = (await res.json().catch(() => ({ error: `Upload failed (HTTP ${res.status}).` }))) as UploadError & { id?: string };
      // Refresh the list first, so the confirmation never shows before the new submission is in it.
      await refreshAfterWrite(queryClient, { queryKey: trpc.homework.pathKey() });
      if (res.status === 429 && body.code === "daily-limit" && body.retryAt) setRefusedUntil(body.retryAt);
      else if (!res.ok) setError(body);
      else setOk(`${file.name} was accepted and queued for grading.`);
      router.refresh(); // the server-rendered counts (used today, daily limit)
    } catch {
      setError({ error: "The upload did not reach the server. Check your connection and try again." });
    } finally {
      setBusy(false);
      if (input.current) input.current.value = "";
    }
  }

  function onDrop(event: DragEvent<HTMLDivElement>) {
    event.preventDefault();
    setDragging(false);
    const file = event.dataTransfer.files[0];
    if (file && !disabled) void send(file);
  }

  return (
    <div className="stack">
      <div
        className={styles.drop}
        data-dragging={dragging}
        data-disabled={Boolean(disabledReason)}
        aria-disabled={Boolean(disabledReason)}
        data-testid="dropzone"
        onDragOver={(e) => {
          e.preventDefault();
          if (!disabled) setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        {disabledReason ? (
          <p data-testid="upload-disabled" role="status">
            <strong>{disabledReason}</strong>
            {/* The wait depends on the clock: the server's and the browser's renders may differ by a minute. */}
            {!closedReason && nextSlot ? <span suppressHydrationWarning> ({waitUntil(nextSlot)}).</span> : null}
          </p>
        ) : (
          <>
            <p>
              <strong>Drop your .ipynb here</strong> or
            </p>
            <label className="button secondary" htmlFor="notebook-file" aria-disabled={busy}>
              Choose a notebook…
            </label>
            <p className="hint">At most {formatBytes(maxFileBytes)}. {busy ? "Uploading…" : null}</p>
          </>
        )}
        <input
          ref={input}
          id="notebook-file"
          className={styles.visuallyHidden}
          type="file"
          accept=".ipynb,application/x-ipynb+json,application/json"
          disabled={disabled}
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            if (file) void send(file);
          }}
        />
      </div>
      {error ? (
        <div className="alert error" role="alert" data-testid="upload-error">
          {error.error}
          {error.issues && error.issues.length > 0 ? (
            <ul className={styles.issues}>
              {error.issues.map((issue, i) => (
                <li key={i}>
                  {issue.line !== undefined ? `line ${issue.line}, column ${issue.column ?? 1}: ` : ""}
                  {issue.path ? `${issue.path}: ` : ""}
                  {issue.message}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {ok ? (
        <div className="alert ok" role="status">
          {ok}
        </div>
      ) : null}
    </div>
  );
}
