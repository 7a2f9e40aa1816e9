import styles from "~/components/admin/admin.module.css";

export function JobStatusBadge({ status, cancelRequested }: { status: string; cancelRequested?: boolean }) {
  return (
    <span className={styles.status} data-status={status} data-testid="job-status">
      {status}
      {cancelRequested && status === "running" ? " (cancelling)" : ""}
    </span>
  );
}
