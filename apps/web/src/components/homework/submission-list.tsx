"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { Route } from "next";
import Link from "next/link";
import { useState } from "react";
import { useTRPC } from "~/trpc/react";
import { refreshAfterWrite } from "~/trpc/refresh";
import { formatBytes, formatWhen } from "./format";
import styles from "./homework.module.css";
import { StateBadge, SubmissionStatus, type SubmissionItem } from "./submission-status";

/** The student's submissions, polled every 2 s while any is queued or running. */
export function SubmissionList({ slug, closed }: { slug: string; closed: boolean }) {
  const trpc = useTRPC();
  const query = useQuery(
    trpc.homework.mySubmissions.queryOptions(
      { slug },
      { staleTime: 0, refetchInterval: (q) => (q.state.data?.active ? 2000 : false), refetchOnWindowFocus: true },
    ),
  );
  if (query.isPending) return <p className={styles.meta}>Loading your submissions…</p>;
  if (query.isError) return <div className="alert error" role="alert">{query.error.message}</div>;
  const { items, maxFinals } = query.data;
  if (items.length === 0) return <p className={styles.meta} data-testid="no-submissions">No submissions yet.</p>;
  return (
    <ol className={styles.list} data-testid="submissions" aria-live="polite">
      {items.map((item) => (
        <li key={item.id} className={`card ${styles.item}`} data-testid="submission" data-state={item.state}>
          <div className={styles.itemHead}>
            <Link className={styles.fileName} href={`/homework/submissions/${item.id}` as Route}>
              {item.fileName}
            </Link>
            <StateBadge state={item.state} />
            <span className={styles.meta}>
              {formatWhen(item.createdAt)} · {formatBytes(item.size)}
            </span>
            {item.state === "scored" ? <FinalToggle item={item} slug={slug} maxFinals={maxFinals} locked={closed} /> : null}
          </div>
          <SubmissionStatus item={item} />
        </li>
      ))}
    </ol>
  );
}

export function FinalToggle({ item, slug, maxFinals, locked }: { item: Pick<SubmissionItem, "id" | "finalChoice">; slug: string; maxFinals: number; locked: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [message, setMessage] = useState<string | null>(null);
  const mutation = useMutation(trpc.homework.setFinal.mutationOptions());
  async function toggle() {
    setMessage(null);
    try {
      await mutation.mutateAsync({ id: item.id, final: !item.finalChoice });
    } catch (e) {
      setMessage((e as Error).message);
    }
    await refreshAfterWrite(queryClient, { queryKey: trpc.homework.pathKey() });
  }
  return (
    <span>
      <label style={{ display: "inline-flex", alignItems: "center", gap: 4, margin: 0 }} title={`Up to ${maxFinals} final submissions count for the private leaderboard (${slug}).`}>
        <input type="checkbox" checked={item.finalChoice} disabled={locked || mutation.isPending} onChange={() => void toggle()} /> Final
      </label>
      {message ? (
        <span className="alert error" role="alert" style={{ display: "block", marginTop: 6 }}>
          {message}
        </span>
      ) : null}
    </span>
  );
}
