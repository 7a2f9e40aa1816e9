import type { Metadata } from "next";
import { NotificationList } from "~/components/homework/notification-list";
import { NotificationPreferences } from "~/components/notifications/notification-preferences";
import { requireUser } from "~/server/auth/session";

export const metadata: Metadata = { title: "Notifications" };

export default async function NotificationsPage() {
  await requireUser("student", "/notifications");
  return (
    <div className="stack" style={{ maxWidth: 760 }}>
      <h1>Notifications</h1>
      <NotificationList />
      <NotificationPreferences />
    </div>
  );
}
