import type { Metadata } from "next";
import Link from "next/link";
import styles from "~/components/admin/admin.module.css";
import { AdminNav } from "~/components/admin/admin-nav";
import { NotebookView } from "~/components/notebook/notebook-view";
import { getDb } from "~/server/db";
import { orNotFound } from "~/server/page-data";
import { jobDetail, type ParsedNotebook } from "~/server/runner/operations";
import { requireUser } from "~/server/auth/session";
import { JobDetail } from "./job-detail";
import { formatBytes } from "~/lib/format";

export const metadata: Metadata = { title: "Job" };

function NotebookSection({ title, parsed, note }: { title: string; parsed: ParsedNotebook; note?: string }) {
  return (
    <div className="card stack">
      <div>
        <h2 id="notebook-heading" style={{ margin: 0 }}>{title}</h2>
        <div className={styles.small}>
          {formatBytes(parsed.bytes)}
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
  const job = await orNotFound(jobDetail((await getDb()).prisma, id, true));
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
