"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "~/server/trpc/root";
import Link from "next/link";
import { useActionState, useEffect, useRef } from "react";
import { setFinalAction } from "~/app/homework/actions";
import { useTRPC } from "~/trpc/react";
import { refreshAfterWrite } from "~/trpc/refresh";
import { formatBytes, formatUtc } from "~/lib/format";
import styles from "./homework.module.css";
import { StateBadge, SubmissionStatus, type SubmissionItem } from "./submission-status";

type MySubmissions = inferRouterOutputs<AppRouter>["homework"]["mySubmissions"];

/** The student's submissions, polled every 2 s while any is queued or running. */
export function SubmissionList({ slug, closed, initial }: { slug: string; closed: boolean; initial?: MySubmissions }) {
  const trpc = useTRPC();
  // Server-rendered with the page's data, so the list and its Final buttons are there before hydration.
  const query = useQuery(
    trpc.homework.mySubmissions.queryOptions(
      { slug },
      { initialData: initial, staleTime: 0, refetchInterval: (q) => (q.state.data?.active ? 2000 : false), refetchOnWindowFocus: true },
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
            <Link className={styles.fileName} href={`/homework/submissions/${item.id}`}>
              {item.fileName}
            </Link>
            <StateBadge state={item.state} />
            <span className={styles.meta}>
              {formatUtc(item.createdAt)} · {formatBytes(item.size)}
            </span>
            {item.state === "scored" ? <FinalToggle item={item} slug={slug} maxFinals={maxFinals} locked={closed} /> : null}
          </div>
          <SubmissionStatus item={item} />
        </li>
      ))}
    </ol>
  );
}

/**
 * The "Final" choice is a real form posting to a server action: a click before hydration is not lost (the browser
 * posts it and the page comes back rendered with the choice), and after hydration it runs without a reload.
 */
export function FinalToggle({ item, slug, maxFinals, locked }: { item: Pick<SubmissionItem, "id" | "finalChoice">; slug: string; maxFinals: number; locked: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [state, action, pending] = useActionState(setFinalAction, { error: null, at: 0 });
  const seen = useRef(0);
  useEffect(() => {
    if (state.at === 0 || seen.current === state.at) return;
    seen.current = state.at;
    void refreshAfterWrite(queryClient, { queryKey: trpc.homework.pathKey() });
  }, [state.at, queryClient, trpc]);
  return (
    <form action={action} style={{ display: "inline" }} data-testid="final-form">
      <input type="hidden" name="id" value={item.id} />
      <input type="hidden" name="final" value={item.finalChoice ? "false" : "true"} />
      <button
        type="submit"
        className={`button ${item.finalChoice ? "" : "secondary"}`}
        aria-pressed={item.finalChoice}
        disabled={locked || pending}
        title={`Up to ${maxFinals} final submissions count for the private leaderboard (${slug}).`}
      >
        {item.finalChoice ? "✓ " : ""}Final
      </button>
      {state.error ? (
        <span className="alert error" role="alert" style={{ display: "block", marginTop: 6 }}>
          {state.error}
        </span>
      ) : null}
    </form>
  );
}
