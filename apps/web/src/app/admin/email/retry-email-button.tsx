"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import styles from "~/components/admin/admin.module.css";
import { useTRPC } from "~/trpc/react";

/** Sends a failed email again (a fresh set of attempts, due now), then shows the outbox as it is. */
export function RetryEmailButton({ id }: { id: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const retry = useMutation(trpc.admin.retryEmail.mutationOptions({ onSuccess: () => router.refresh() }));
  return (
    <div className={styles.actions}>
      <button type="button" className={`button secondary ${styles.button}`} disabled={retry.isPending || retry.isSuccess} onClick={() => retry.mutate({ id })}>
        {retry.isSuccess ? "Queued" : "Send again"}
      </button>
      {retry.error ? <span role="alert">{retry.error.message}</span> : null}
    </div>
  );
}
