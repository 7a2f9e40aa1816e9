"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";
import styles from "./conversation.module.css";

/** Signed in? The header asks already (account.me), so this adds no request. */
function useSignedIn(): boolean {
  const trpc = useTRPC();
  return Boolean(useQuery(trpc.account.me.queryOptions(undefined, { staleTime: 60_000 })).data);
}

/** /forum: a category's unread topics (tracked or watched) and new ones, for the signed-in reader. */
export function CategoryUnreadBadge({ slug }: { slug: string }) {
  const trpc = useTRPC();
  const signedIn = useSignedIn();
  // One request for every category of the page: the same query key.
  const counts = useQuery(trpc.forumConversation.unreadCounts.queryOptions(undefined, { enabled: signedIn, staleTime: 10_000 })).data?.[slug];
  if (!counts) return null;
  return (
    <>
      {counts.unread > 0 ? (
        <span className={styles.unread} data-testid="category-unread" title={`${counts.unread} topics with unread posts`}>
          {counts.unread} unread
        </span>
      ) : null}
      {counts.new > 0 ? (
        <span className={styles.newBadge} data-testid="category-new" title={`${counts.new} new topics`}>
          {counts.new} new
        </span>
      ) : null}
    </>
  );
}

/** A topic list's row: how many posts the reader has not read (tracked topics), or "new". */
export function TopicUnreadBadge({ topicId, ids }: { topicId: string; ids: string[] }) {
  const trpc = useTRPC();
  const signedIn = useSignedIn();
  const state = useQuery(trpc.forumConversation.topicStates.queryOptions({ topicIds: ids }, { enabled: signedIn && ids.length > 0, staleTime: 10_000 })).data?.[topicId];
  if (!state) return null;
  if (state.unread > 0) {
    return (
      <span className={styles.unread} data-testid="topic-unread" title={`${state.unread} unread posts`}>
        {state.unread}
      </span>
    );
  }
  return state.new ? (
    <span className={styles.newBadge} data-testid="topic-new">
      new
    </span>
  ) : null;
}
