"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import styles from "~/components/admin/admin.module.css";
import { useTRPC } from "~/trpc/react";
import { refreshAfterWrite } from "~/trpc/refresh";
import { runnerCommand } from "./runner-command";

function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className={`button secondary ${styles.button}`}
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(text);
          setCopied(true);
          setTimeout(() => setCopied(false), 2000);
        } catch {
          setCopied(false);
        }
      }}
    >
      {copied ? "Copied" : label}
    </button>
  );
}

export function NewRunnerToken({ siteUrl }: { siteUrl: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const nameId = useId();
  const [name, setName] = useState("");
  const create = useMutation(
    trpc.operations.runners.createToken.mutationOptions({
      onSuccess: () => refreshAfterWrite(queryClient, { queryKey: trpc.operations.runners.list.queryKey() }),
    }),
  );
  const created = create.data;
  return (
    <section className="card stack" aria-labelledby={`${nameId}-heading`}>
      <h2 id={`${nameId}-heading`} style={{ margin: 0 }}>New runner token</h2>
      <form
        className={styles.row}
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate({ name });
        }}
      >
        <div style={{ flex: "1 1 260px" }}>
          <label htmlFor={nameId}>Runner name</label>
          <input
            id={nameId}
            type="text"
            value={name}
            maxLength={100}
            required
            placeholder="e.g. gpu-box-1"
            onChange={(e) => setName(e.target.value)}
            aria-describedby={`${nameId}-hint`}
          />
          <div id={`${nameId}-hint`} className="hint">A name to recognise the machine by. The token is shown once, right after you create it.</div>
        </div>
        <button type="submit" className="button" disabled={create.isPending} style={{ alignSelf: "center" }}>
          {create.isPending ? "Creating…" : "Create token"}
        </button>
      </form>
      {create.error && (
        <div className="alert error" role="alert">
          {create.error.message}
        </div>
      )}
      {created && (
        <div className={styles.tokenBox} data-testid="new-token" role="status">
          <strong>
            Token for “{created.runner.name}” created. Copy it now: it is stored only as a hash and will not be shown again.
          </strong>
          <label htmlFor={`${nameId}-token`}>Token</label>
          <div className={styles.row}>
            <input id={`${nameId}-token`} type="text" readOnly value={created.token} className={styles.mono} onFocus={(e) => e.currentTarget.select()} style={{ flex: 1 }} data-testid="new-token-value" />
            <CopyButton text={created.token} label="Copy token" />
          </div>
          <div>Start a runner on a machine with the benchmarks (replace <code>&lt;dir&gt;</code> with their folder):</div>
          <pre data-testid="new-token-command">{runnerCommand(created.token, siteUrl)}</pre>
          <div className={styles.row}>
            <CopyButton text={runnerCommand(created.token, siteUrl)} label="Copy command" />
            <button
              type="button"
              className={`button secondary ${styles.button}`}
              onClick={() => {
                create.reset();
                setName("");
              }}
            >
              Done, hide it
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
