"use client";

import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import { useTRPC } from "~/trpc/react";
import { FinalToggle } from "./submission-list";
import { StateBadge, SubmissionStatus } from "./submission-status";

/**
 * One submission's live status; re-renders the server page (executed notebook, downloads, the explained failure)
 * when it finishes. `hideFailure`: the page explains a failure itself, with the notebook at hand.
 */
export function SubmissionLive({ id, slug, maxFinals, locked, hideFailure = false }: { id: string; slug: string; maxFinals: number; locked: boolean; hideFailure?: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const query = useQuery(
    trpc.homework.submission.queryOptions({ id }, { staleTime: 0, refetchInterval: (q) => (q.state.data && (q.state.data.state === "queued" || q.state.data.state === "running") ? 2000 : false) }),
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
