"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { useTRPC } from "~/trpc/react";
import { useLiveChannel } from "./live/use-live-channel";
import styles from "./homework/homework.module.css";

/**
 * The header's unread-notification count, asked for after load so that the header stays the same for every
 * visitor (cached pages); the notifications list refreshes it when it marks them read, and a new notification for
 * the user (live, `notifications-changed` on `user:<id>`) without a reload.
 */
export function HeaderUnreadBadge({ userId }: { userId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { data: count } = useQuery(trpc.notifications.unreadCount.queryOptions(undefined, { staleTime: 0 }));
  const refresh = useCallback(() => {
    void queryClient.invalidateQueries({ queryKey: trpc.notifications.unreadCount.queryKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.notifications.list.queryKey() });
  }, [queryClient, trpc]);
  useLiveChannel([`user:${userId}`], (event) => event.type === "notifications-changed" && refresh(), refresh);
  if (!count) return null;
  return (
    <span className={styles.countBadge} data-testid="unread-count" aria-label={`${count} unread`}>
      {count}
    </span>
  );
}
