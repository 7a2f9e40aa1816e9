import type { Metadata } from "next";
import { TRPCError } from "@trpc/server";
import Link from "next/link";
import { notFound } from "next/navigation";
import styles from "~/components/admin/admin.module.css";
import { AdminNav } from "~/components/admin/admin-nav";
import { bytes } from "~/components/admin/format";
import { NotebookView } from "~/components/notebook/notebook-view";
import type { ParsedNotebook } from "~/server/trpc/routers/operations";
import { requireUser } from "~/server/auth/session";
import { api } from "~/trpc/server";
import { JobDetail } from "./job-detail";

export const metadata: Metadata = { title: "Job" };

function NotebookSection({ title, parsed, note }: { title: string; parsed: ParsedNotebook; note?: string }) {
  return (
    <div className="card stack">
      <div>
        <h2 id="notebook-heading" style={{ margin: 0 }}>{title}</h2>
        <div className={styles.small}>
          {bytes(parsed.bytes)}
          {note ? ` · ${note}` : ""}
        </div>
      </div>
      {parsed.ok ? (
        <NotebookView notebook={parsed.notebook} label={title} />
      ) : (
        <pre className={styles.errorBox} role="alert">
          {`This notebook cannot be shown: ${parsed.error}`}
        </pre>
      )}
    </div>
  );
}

export default async function AdminJobPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireUser("admin", `/admin/jobs/${encodeURIComponent(id)}`);
  let job;
  try {
    job = await (await api()).operations.jobs.get({ id, withNotebooks: true });
  } catch (error) {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")) notFound();
    throw error;
  }
  const { notebooks, ...live } = job;
  return (
    <div className="stack">
      <AdminNav />
      <div>
        <p style={{ margin: "0 0 4px" }}>
          <Link href="/admin/jobs">← All jobs</Link>
        </p>
        <h1>
          Job <code>{job.id}</code>
        </h1>
      </div>
      <JobDetail initial={{ ...live, notebooks: null }} />
      {notebooks?.executed ? (
        <NotebookSection title="Executed notebook" parsed={notebooks.executed} note="as the runner returned it" />
      ) : notebooks?.submitted ? (
        <NotebookSection title="Submitted notebook" parsed={notebooks.submitted} note="not executed yet: no outputs" />
      ) : null}
    </div>
  );
}
