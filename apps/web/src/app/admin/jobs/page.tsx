import type { Metadata } from "next";
import { z } from "zod";
import { AdminNav } from "~/components/admin/admin-nav";
import { requireUser } from "~/server/auth/session";
import { getDb } from "~/server/db";
import { JOB_STATUSES, listJobs } from "~/server/runner/operations";
import { JobsTable } from "./jobs-table";

export const metadata: Metadata = { title: "Jobs" };

const PAGE_SIZE = 50;
const searchSchema = z.object({
  status: z.enum(JOB_STATUSES).optional().catch(undefined),
  cursor: z.string().min(1).max(200).optional().catch(undefined),
});

export default async function AdminJobsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUser("admin", "/admin/jobs");
  const { status, cursor } = searchSchema.parse(await searchParams);
  const input = { status, cursor: cursor ?? null, limit: PAGE_SIZE };
  const initial = await listJobs((await getDb()).prisma, input);
  return (
    <div className="stack">
      <AdminNav />
      <div>
        <h1>Jobs</h1>
        <p className="lead">
          Every notebook run on a runner: queued, running, finished. Open one for its logs, scores and executed notebook.
          This page refreshes itself every few seconds.
        </p>
      </div>
      <JobsTable input={input} initial={initial} />
    </div>
  );
}
