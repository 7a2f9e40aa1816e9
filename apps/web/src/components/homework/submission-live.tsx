"use client";

import { useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "~/server/trpc/root";
import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import { useTRPC } from "~/trpc/react";
import { FinalToggle } from "./submission-list";
import { StateBadge, SubmissionStatus } from "./submission-status";

type SubmissionDetail = inferRouterOutputs<AppRouter>["homework"]["submission"];

/**
 * One submission's live status; re-renders the server page (executed notebook, downloads, the explained failure)
 * when it finishes. `hideFailure`: the page explains a failure itself, with the notebook at hand.
 */
export function SubmissionLive({ id, slug, maxFinals, locked, initial, hideFailure = false }: { id: string; slug: string; maxFinals: number; locked: boolean; initial?: SubmissionDetail; hideFailure?: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  // Server-rendered with the page's data, so the status and the Final button are there before hydration.
  const query = useQuery(
    trpc.homework.submission.queryOptions({ id }, { initialData: initial, staleTime: 0, refetchInterval: (q) => (q.state.data && (q.state.data.state === "queued" || q.state.data.state === "running") ? 2000 : false) }),
  );
  const previous = useRef<string | null>(null);
  const state = query.data?.state ?? null;
  useEffect(() => {
    if (previous.current && previous.current !== state && (state === "scored" || state === "failed" || state === "cancelled")) router.refresh();
    previous.current = state;
  }, [state, router]);
  if (!query.data) return query.isError ? <div className="alert error" role="alert">{query.error.message}</div> : null;
  const item = query.data;
  return (
    <div className="stack" style={{ gap: 10 }}>
      <p style={{ margin: 0 }}>
        <StateBadge state={item.state} /> {item.state === "scored" && item.mine ? <FinalToggle item={item} slug={slug} maxFinals={maxFinals} locked={locked} /> : null}
      </p>
      <SubmissionStatus item={item} hideFailure={hideFailure} />
    </div>
  );
}
