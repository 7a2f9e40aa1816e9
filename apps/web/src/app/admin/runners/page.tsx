import type { Metadata } from "next";
import { headers } from "next/headers";
import { AdminNav } from "~/components/admin/admin-nav";
import { serverEnv } from "~/env";
import { requireUser } from "~/server/auth/session";
import { getDb } from "~/server/db";
import { listRunners } from "~/server/runner/operations";
import { NewRunnerToken } from "./new-runner-token";
import { RunnersTable } from "./runners-table";

export const metadata: Metadata = { title: "Runners" };

/** The public URL runners should use: NEXTAUTH_URL when set, otherwise the address this page was asked for. */
async function siteUrl(): Promise<string> {
  const configured = serverEnv().NEXTAUTH_URL;
  if (configured) return configured.replace(/\/+$/, "");
  const h = await headers();
  const host = h.get("x-forwarded-host") ?? h.get("host") ?? "localhost:3000";
  const proto = h.get("x-forwarded-proto") ?? "http";
  return `${proto}://${host}`;
}

export default async function AdminRunnersPage() {
  await requireUser("admin", "/admin/runners");
  const initial = await listRunners((await getDb()).prisma);
  return (
    <div className="stack">
      <AdminNav />
      <div>
        <h1>Runners</h1>
        <p className="lead">
          Runners execute and score homework notebooks. Each one signs its requests with its own token; a runner is online
          when it called the site in the last two minutes. This page refreshes itself every few seconds.
        </p>
      </div>
      <NewRunnerToken siteUrl={await siteUrl()} />
      <RunnersTable initial={initial} />
    </div>
  );
}
