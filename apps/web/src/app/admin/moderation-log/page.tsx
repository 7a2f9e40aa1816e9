import type { Metadata } from "next";
import Link from "next/link";
import { z } from "zod";
import { AdminNav } from "~/components/admin/admin-nav";
import styles from "~/components/forum-moderation/moderation.module.css";
import { formatUtc } from "~/lib/format";
import { storedHref, withQuery } from "~/lib/routes";
import { requireUser } from "~/server/auth/session";
import { getDb } from "~/server/db";
import { moderationLogPage } from "~/server/forum/moderation";

export const metadata: Metadata = { title: "Moderation log" };

const TARGET_TYPES = ["topic", "post", "user", "flag", "category"] as const;
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .optional()
  .catch(undefined);
const text = (max: number) => z.string().trim().max(max).optional().catch(undefined);
const searchSchema = z.object({
  action: text(100),
  actor: text(200),
  targetType: z.enum(TARGET_TYPES).optional().catch(undefined),
  targetId: text(100),
  from: day,
  to: day,
  cursor: text(100),
});

/** The audit log of every moderator action, newest first, filtered by the query string (a plain GET form). */
export default async function ModerationLogPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUser("admin", "/admin/moderation-log");
  const params = searchSchema.parse(await searchParams);
  const { entries, nextCursor, actions } = await moderationLogPage((await getDb()).prisma, {
    action: params.action || undefined,
    actor: params.actor || undefined,
    targetType: params.targetType,
    targetId: params.targetId || undefined,
    from: params.from ? new Date(`${params.from}T00:00:00Z`) : undefined,
    to: params.to ? new Date(`${params.to}T23:59:59.999Z`) : undefined,
    cursor: params.cursor || undefined,
    limit: 50,
  });
  const families = [...new Set(actions.map((a) => `${a.split(".")[0]}.`))];
  const filters = { action: params.action, actor: params.actor, targetType: params.targetType, targetId: params.targetId, from: params.from, to: params.to };
  return (
    <div className="stack">
      <AdminNav />
      <div>
        <h1>Moderation log</h1>
        <p className="lead">
          Every moderator action in the forum: topic states, deleted and hidden posts, flag decisions, silences, suspensions
          and trust level changes, with who did it, why and when. Kept for good; newest first.
        </p>
      </div>
      <form className={`card ${styles.filters}`} method="get" action="/admin/moderation-log" aria-label="Filter the log">
        <div>
          <label htmlFor="log-action">Action</label>
          <select id="log-action" name="action" defaultValue={params.action ?? ""}>
            <option value="">Any</option>
            {families.map((f) => (
              <option key={f} value={f}>
                {f}* (all)
              </option>
            ))}
            {actions.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="log-actor">Moderator</label>
          <input id="log-actor" type="text" name="actor" defaultValue={params.actor ?? ""} placeholder="part of a name" />
        </div>
        <div>
          <label htmlFor="log-target-type">Target</label>
          <select id="log-target-type" name="targetType" defaultValue={params.targetType ?? ""}>
            <option value="">Any</option>
            {TARGET_TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="log-target-id">Target id</label>
          <input id="log-target-id" type="text" name="targetId" defaultValue={params.targetId ?? ""} />
        </div>
        <div>
          <label htmlFor="log-from">From</label>
          <input id="log-from" type="date" name="from" defaultValue={params.from ?? ""} />
        </div>
        <div>
          <label htmlFor="log-to">To</label>
          <input id="log-to" type="date" name="to" defaultValue={params.to ?? ""} />
        </div>
        <button type="submit" className="button">
          Filter
        </button>
        <Link href="/admin/moderation-log" className="button secondary">
          Clear
        </Link>
      </form>
      <div className="card table-scroll">
        {entries.length === 0 ? (
          <p data-testid="log-empty">No entries{Object.values(filters).some(Boolean) ? " match these filters" : " yet"}.</p>
        ) : (
          <table data-testid="moderation-log">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Moderator</th>
                <th scope="col">Action</th>
                <th scope="col">On</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td style={{ whiteSpace: "nowrap" }}>{formatUtc(e.createdAt, "second")}</td>
                  <td>{e.actorId ? <Link href={`/admin/users/${e.actorId}`}>{e.actorName || "?"}</Link> : e.actorName || "the platform"}</td>
                  <td>
                    <code>{e.action}</code>
                  </td>
                  <td>
                    {e.target.url ? <Link href={storedHref(e.target.url)}>{e.target.label}</Link> : e.target.label}
                    {e.detail !== null && <div className={styles.detail}>{JSON.stringify(e.detail)}</div>}
                  </td>
                  <td>{e.reason || <span className={styles.meta}>—</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      {nextCursor && (
        <p>
          <Link href={withQuery("/admin/moderation-log", { ...filters, cursor: nextCursor })}>Older entries</Link>
        </p>
      )}
    </div>
  );
}
