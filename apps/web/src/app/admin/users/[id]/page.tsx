import type { Metadata } from "next";
import Link from "next/link";
import { AdminNav } from "~/components/admin/admin-nav";
import styles from "~/components/forum-moderation/moderation.module.css";
import { SanctionForm, TrustLevelForm } from "~/components/forum-moderation/user-moderation-forms";
import { formatUtc } from "~/lib/format";
import { storedHref, withQuery } from "~/lib/routes";
import { requireUser } from "~/server/auth/session";
import { getDb } from "~/server/db";
import { userModeration } from "~/server/forum/moderation";
import { orNotFound } from "~/server/page-data";

export const metadata: Metadata = { title: "User moderation" };

/** One member, for moderators: account, trust level and what it rests on, silence and suspension, flags, history. */
export default async function AdminUserPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const me = await requireUser("admin", `/admin/users/${id}`);
  const m = await orNotFound(userModeration((await getDb()).prisma, id));
  const self = m.user.id === me.id;
  const moderatable = !self && m.user.role !== "admin";
  return (
    <div className="stack">
      <AdminNav />
      <div>
        <p className={styles.meta}>
          <Link href="/admin/users">All users</Link>
        </p>
        <h1>{m.user.name}</h1>
        <p className="lead">
          {m.user.email} · {m.user.role} · joined {formatUtc(m.user.createdAt, "day")}
          {m.user.username ? ` · @${m.user.username}` : ""}
        </p>
      </div>

      <section className="card stack" aria-labelledby="trust-heading">
        <h2 id="trust-heading" style={{ margin: 0 }}>
          Trust level {m.trust.level} ({m.trust.name}){m.trust.locked ? ", locked" : ""}
        </h2>
        {m.trust.effective !== m.trust.level && <p className={styles.meta}>As a {m.user.role}, limits treat this account as level {m.trust.effective}.</p>}
        <dl className={styles.facts}>
          <dt>Days visited</dt>
          <dd>{m.trust.activity.daysVisited}</dd>
          <dt>Topics entered</dt>
          <dd>{m.trust.activity.topicsEntered}</dd>
          <dt>Posts read</dt>
          <dd>{m.trust.activity.postsRead}</dd>
          <dt>Minutes reading or watching</dt>
          <dd>{m.trust.activity.learningMinutes}</dd>
          <dt>Posts written</dt>
          <dd>
            {m.stats.posts} ({m.stats.topics} topics)
          </dd>
          <dt>Likes given / received</dt>
          <dd>
            {m.trust.activity.likesGiven} / {m.trust.activity.likesReceived}
          </dd>
          <dt>Flags agreed against</dt>
          <dd>{m.stats.flagsAgreed}</dd>
        </dl>
        {m.trust.next && !m.trust.locked && (
          <div>
            <strong>For level {m.trust.next.level}:</strong>
            <ul className={styles.progress}>
              {m.trust.next.rows.map((r) => (
                <li key={r.label} data-met={r.met}>
                  {r.label}: {r.have} of {r.kind === "min" ? "at least" : "at most"} {r.need}
                  {r.met ? " ✓" : ""}
                </li>
              ))}
            </ul>
          </div>
        )}
        <TrustLevelForm userId={m.user.id} level={m.trust.level} locked={m.trust.locked} />
      </section>

      <section className="card stack" aria-labelledby="sanctions-heading">
        <h2 id="sanctions-heading" style={{ margin: 0 }}>
          Silence and suspension
        </h2>
        <p data-testid="sanction-state">
          {m.suspended ? (
            <span className={styles.status} data-tone="danger">
              Suspended until {formatUtc(m.suspended.until)}: {m.suspended.reason}
            </span>
          ) : m.silenced ? (
            <span className={styles.status} data-tone="danger">
              Silenced until {formatUtc(m.silenced.until)}: {m.silenced.reason}
            </span>
          ) : (
            <span className={styles.status} data-tone="ok">
              In good standing
            </span>
          )}
        </p>
        {moderatable ? (
          <>
            <div>
              <h3>Silence</h3>
              <p className={styles.meta}>A silenced member reads the forum but cannot post, edit or flag until the date.</p>
              <SanctionForm userId={m.user.id} kind="silence" active={m.silenced && { until: m.silenced.until.toISOString(), reason: m.silenced.reason }} />
            </div>
            <div>
              <h3>Suspend</h3>
              <p className={styles.meta}>A suspended member is signed out everywhere and cannot sign in (or write anything) until the date.</p>
              <SanctionForm userId={m.user.id} kind="suspend" active={m.suspended && { until: m.suspended.until.toISOString(), reason: m.suspended.reason }} />
            </div>
          </>
        ) : (
          <p className={styles.meta}>{self ? "You cannot silence or suspend yourself." : "Admins cannot be silenced or suspended: change their role first."}</p>
        )}
      </section>

      <section className="card stack" aria-labelledby="flags-heading">
        <h2 id="flags-heading" style={{ margin: 0 }}>
          Flags on their posts ({m.flags.against.length})
        </h2>
        {m.flags.against.length === 0 ? (
          <p className={styles.meta}>None.</p>
        ) : (
          <div className="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Post</th>
                  <th scope="col">Reason</th>
                  <th scope="col">By</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {m.flags.against.map((f) => (
                  <tr key={f.id}>
                    <td>{formatUtc(f.createdAt)}</td>
                    <td>
                      <Link href={storedHref(f.post.url)}>
                        {f.post.title} #{f.post.number}
                      </Link>
                    </td>
                    <td>
                      {f.reason}
                      {f.note ? `: ${f.note}` : ""}
                    </td>
                    <td>{f.by}</td>
                    <td>
                      {f.status}
                      {f.handledBy ? ` by ${f.handledBy}` : ""}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <h3>Flags they raised ({m.flags.raised.length})</h3>
        {m.flags.raised.length === 0 ? (
          <p className={styles.meta}>None.</p>
        ) : (
          <ul>
            {m.flags.raised.map((f) => (
              <li key={f.id}>
                {formatUtc(f.createdAt)}: {f.reason} on <Link href={storedHref(f.post.url)}>{f.post.title} #{f.post.number}</Link> ({f.status})
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="card stack" aria-labelledby="history-heading">
        <h2 id="history-heading" style={{ margin: 0 }}>
          Moderation history
        </h2>
        {m.log.length === 0 ? (
          <p className={styles.meta}>No moderator action concerns this member.</p>
        ) : (
          <ul data-testid="user-moderation-history">
            {m.log.map((e) => (
              <li key={e.id}>
                {formatUtc(e.createdAt)}: <code>{e.action}</code> by {e.actorName || "the platform"} on{" "}
                {e.target.url ? <Link href={storedHref(e.target.url)}>{e.target.label}</Link> : e.target.label}
                {e.reason ? ` — ${e.reason}` : ""}
              </li>
            ))}
          </ul>
        )}
        <p className={styles.meta}>
          <Link href={withQuery("/admin/moderation-log", { targetType: "user", targetId: m.user.id })}>This member in the moderation log</Link>
        </p>
      </section>
    </div>
  );
}
