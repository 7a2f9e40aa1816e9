"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { useTRPC } from "~/trpc/react";
import { useLiveChannel } from "../live/use-live-channel";
import styles from "./conversation.module.css";

/**
 * Signed in? The header asks already (account.me), so this adds no request. While signed in, a new post in a topic
 * the reader tracks or watches (`forum-unread-changed` on `user:<id>`) refetches the unread counts live; every badge
 * of the page shares the page's one live connection and the same queries.
 */
function useSignedIn(): boolean {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const me = useQuery(trpc.account.me.queryOptions(undefined, { staleTime: 60_000 })).data;
  const refresh = useCallback(() => {
    void queryClient.invalidateQueries({ queryKey: trpc.forumConversation.unreadCounts.queryKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.forumConversation.topicStates.queryKey() });
  }, [queryClient, trpc]);
  useLiveChannel(me ? [`user:${me.id}`] : [], (event) => event.type === "forum-unread-changed" && refresh(), refresh);
  return Boolean(me);
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
