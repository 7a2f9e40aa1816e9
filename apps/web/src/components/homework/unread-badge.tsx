import { getDb } from "~/server/db";
import { unreadCount } from "~/server/notifications/inbox";
import styles from "./homework.module.css";

/** Unread notification count for the nav (server-rendered on every page): a plain count, no writes. */
export async function UnreadBadge({ userId }: { userId: string }) {
  const count = await unreadCount((await getDb()).prisma, userId).catch(() => 0);
  if (count === 0) return null;
  return (
    <span className={styles.countBadge} data-testid="unread-count" aria-label={`${count} unread`}>
      {count}
    </span>
  );
}
