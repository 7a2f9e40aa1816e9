"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useRef, useState, type DragEvent } from "react";
import { useTRPC } from "~/trpc/react";
import { refreshAfterWrite } from "~/trpc/refresh";
import styles from "./homework.module.css";
import { formatBytes } from "./format";

interface UploadError {
  error: string;
  issues?: { path: string; message: string; line?: number; column?: number }[];
}

/** Drag and drop or pick a notebook; the server validates it at once and answers with a clear error or the new submission. */
export function UploadForm({ slug, maxFileBytes, disabledReason }: { slug: string; maxFileBytes: number; disabledReason: string | null }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<UploadError | null>(null);
  const [ok, setOk] = useState<string | null>(null);

  async function send(file: File) {
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
      const res = await fetch(`/api/submissions?assignment=${encodeURIComponent(slug)}`, { method: "POST", body: form });
      const body = (await res.json().catch(() => ({ error: `Upload failed (HTTP ${res.status}).` }))) as UploadError & { id?: string };
      // Refresh the list first, so the confirmation never shows before the new submission is in it.
      await refreshAfterWrite(queryClient, { queryKey: trpc.homework.pathKey() });
      if (!res.ok) setError(body);
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
    if (file && !disabledReason) void send(file);
  }

  return (
    <div className="stack">
      <div
        className={styles.drop}
        data-dragging={dragging}
        data-testid="dropzone"
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <p>
          <strong>Drop your .ipynb here</strong> or
        </p>
        <label className="button secondary" htmlFor="notebook-file" aria-disabled={Boolean(disabledReason) || busy}>
          Choose a notebook…
        </label>
        <input
          ref={input}
          id="notebook-file"
          className={styles.visuallyHidden}
          type="file"
          accept=".ipynb,application/x-ipynb+json,application/json"
          disabled={Boolean(disabledReason) || busy}
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            if (file) void send(file);
          }}
        />
        <p className="hint">At most {formatBytes(maxFileBytes)}. {busy ? "Uploading…" : null}</p>
        {disabledReason ? <p className="hint">{disabledReason}</p> : null}
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
