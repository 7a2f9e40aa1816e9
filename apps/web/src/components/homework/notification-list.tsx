"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import { useTRPC } from "~/trpc/react";
import { refreshAfterWrite } from "~/trpc/refresh";
import { formatUtc } from "~/lib/format";
import styles from "./homework.module.css";
import { storedHref } from "~/lib/routes";

export function NotificationList() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.notifications.list.queryOptions(undefined, { staleTime: 0 }));
  const markRead = useMutation(trpc.notifications.markRead.mutationOptions());
  async function mark(ids?: string[]) {
    await markRead.mutateAsync({ ids });
    await refreshAfterWrite(queryClient, { queryKey: trpc.notifications.pathKey() });
    router.refresh(); // the page's server-rendered parts
  }
  if (!list.data) return list.isError ? <div className="alert error" role="alert">{list.error.message}</div> : <p className="hint">Loading…</p>;
  if (list.data.length === 0) return <p className="hint">Nothing yet. You will hear here when your submissions are graded.</p>;
  const unread = list.data.filter((n) => !n.readAt);
  return (
    <div className="stack">
      {unread.length > 0 ? (
        <p>
          <button className="button secondary" type="button" onClick={() => void mark()} disabled={markRead.isPending}>
            Mark all as read
          </button>
        </p>
      ) : null}
      <ul className={styles.notifications} data-testid="notifications">
        {list.data.map((n) => (
          <li key={n.id} className={`card ${n.readAt ? "" : styles.unread}`} data-unread={!n.readAt}>
            <div className={styles.itemHead}>
              <strong>{n.link ? <Link href={storedHref(n.link)}>{n.title}</Link> : n.title}</strong>
              {n.readAt ? null : <span className="badge">new</span>}
              <span className={styles.meta}>{formatUtc(n.createdAt)}</span>
            </div>
            <p style={{ margin: "6px 0" }}>{n.body}</p>
            {n.readAt ? null : (
              <button className="button link" type="button" onClick={() => void mark([n.id])} disabled={markRead.isPending}>
                Mark as read
              </button>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * Marks the signed-in user's notifications that link to `link` read once the page is open in a browser. A write of
 * its own (a mutation), never a side effect of rendering the page: GET renders stay free of writes.
 */
export function MarkReadOnOpen({ link }: { link: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const { mutateAsync } = useMutation(trpc.notifications.markRead.mutationOptions());
  const done = useRef<string | null>(null);
  useEffect(() => {
    if (done.current === link) return;
    done.current = link;
    void mutateAsync({ link })
      .then(async ({ marked }) => {
        if (marked === 0) return;
        await refreshAfterWrite(queryClient, { queryKey: trpc.notifications.pathKey() });
        router.refresh(); // the page's server-rendered parts
      })
      .catch(() => undefined); // the badge stays as it was; nothing else depends on this
  }, [link, mutateAsync, queryClient, router, trpc]);
  return null;
}
