"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";
import styles from "./homework/homework.module.css";

/**
 * The header's unread-notification count, asked for after load so that the header stays the same for every
 * visitor (cached pages); the notifications list refreshes it when it marks them read.
 */
export function HeaderUnreadBadge() {
  const trpc = useTRPC();
  const { data: count } = useQuery(trpc.notifications.unreadCount.queryOptions(undefined, { staleTime: 0 }));
  if (!count) return null;
  return (
    <span className={styles.countBadge} data-testid="unread-count" aria-label={`${count} unread`}>
      {count}
    </span>
  );
}
