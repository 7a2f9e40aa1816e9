"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import { useState } from "react";
import styles from "~/components/admin/admin.module.css";
import type { AppRouter } from "~/server/trpc/root";
import { useTRPC } from "~/trpc/react";
import { refreshAfterWrite } from "~/trpc/refresh";
import { formatBytes, formatRelative, formatUtc } from "~/lib/format";

type RunnersList = inferRouterOutputs<AppRouter>["operations"]["runners"]["list"];
type Runner = RunnersList["runners"][number];

export const RUNNERS_REFETCH_MS = 4000;

function RevokeButton({ runner }: { runner: Runner }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const revoke = useMutation(
    trpc.operations.runners.revoke.mutationOptions({
      onSuccess: () => refreshAfterWrite(queryClient, { queryKey: trpc.operations.runners.list.queryKey() }),
    }),
  );
  if (runner.revoked) return null;
  if (!confirming) {
    return (
      <button type="button" className={`button secondary ${styles.button}`} onClick={() => setConfirming(true)} aria-label={`Revoke ${runner.name}`}>
        Revoke
      </button>
    );
  }
  return (
    <div className={styles.confirm} role="group" aria-label={`Confirm revoking ${runner.name}`}>
      <span>Revoke “{runner.name}”? A runner using this token is refused from its next request.</span>
      <div className={styles.actions}>
        <button type="button" className={`button ${styles.button}`} disabled={revoke.isPending} onClick={() => revoke.mutate({ id: runner.id })}>
          Yes, revoke
        </button>
        <button type="button" className={`button secondary ${styles.button}`} onClick={() => setConfirming(false)}>
          Keep it
        </button>
      </div>
      {revoke.error && <span role="alert">{revoke.error.message}</span>}
    </div>
  );
}

function Capabilities({ runner }: { runner: Runner }) {
  const caps = runner.capabilities;
  if (!caps) return <span className={styles.muted}>not reported yet</span>;
  return (
    <div>
      <div>
        <strong>{caps.gpu ?? "No GPU"}</strong> · backend <code>{caps.backend}</code>
      </div>
      <div className={styles.small}>
        {caps.cpuModel || "CPU"} × {caps.cpuCount}, {formatBytes(caps.memoryBytes)} · {caps.platform}
      </div>
      <div className={styles.small}>
        sandbox:{" "}
        {caps.sandbox === "bubblewrap" ? "bubblewrap" : <strong style={{ color: "var(--danger)" }}>none (unsafe)</strong>} · {caps.runnerName}{" "}
        {caps.runnerVersion && `v${caps.runnerVersion}`}
      </div>
    </div>
  );
}

export function RunnersTable({ initial }: { initial: RunnersList }) {
  const trpc = useTRPC();
  const { data, error } = useQuery(trpc.operations.runners.list.queryOptions(undefined, { initialData: initial, refetchInterval: RUNNERS_REFETCH_MS }));
  const { runners, now } = data;
  return (
    <section className="card" aria-labelledby="runners-heading">
      <div className={styles.row} style={{ justifyContent: "space-between" }}>
        <h2 id="runners-heading" style={{ margin: 0 }}>
          Runner tokens <span className={styles.small}>({runners.filter((r) => r.online).length} online)</span>
        </h2>
        <span className={styles.small} aria-live="off">updated {formatUtc(now, "second")}</span>
      </div>
      {error && <div className="alert error" role="alert">Could not refresh: {error.message}</div>}
      {runners.length === 0 ? (
        <p className={styles.muted}>No runner tokens yet. Create one above, or start the site with <code>npm start</code>, which registers a local runner.</p>
      ) : (
        <div className={styles.tableWrap}>
          <table>
            <thead>
              <tr>
                <th scope="col">Runner</th>
                <th scope="col">Last heartbeat</th>
                <th scope="col">Capabilities</th>
                <th scope="col">Current job</th>
                <th scope="col">Created</th>
                <th scope="col"><span className={styles.visuallyHidden}>Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {runners.map((runner) => {
                const state = runner.revoked ? "revoked" : runner.online ? "online" : "offline";
                return (
                  <tr key={runner.id} data-testid="runner-row" data-runner-id={runner.id} data-state={state}>
                    <td>
                      <div>
                        <span className={styles.dot} data-state={state} aria-hidden="true" />
                        <strong>{runner.name}</strong>
                      </div>
                      <div className={styles.small}>
                        <span data-testid="runner-state">{state}</span> · <code title="The start of the token">{runner.prefix}…</code>
                      </div>
                    </td>
                    <td title={formatUtc(runner.lastHeartbeatAt, "second")}>{formatRelative(runner.lastHeartbeatAt, now)}</td>
                    <td>
                      <Capabilities runner={runner} />
                    </td>
                    <td>
                      {runner.currentJob ? (
                        <div>
                          <Link href={`/admin/jobs/${runner.currentJob.id}`} className={styles.mono}>
                            {runner.currentJob.id}
                          </Link>
                          <div className={styles.small}>
                            attempt {runner.currentJob.attempts}, started {formatRelative(runner.currentJob.startedAt, now)}
                          </div>
                        </div>
                      ) : (
                        <span className={styles.muted}>idle</span>
                      )}
                    </td>
                    <td>
                      <div title={formatUtc(runner.createdAt, "second")}>{formatRelative(runner.createdAt, now)}</div>
                      {runner.revokedAt && <div className={styles.small}>revoked {formatRelative(runner.revokedAt, now)}</div>}
                    </td>
                    <td>
                      <RevokeButton runner={runner} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
