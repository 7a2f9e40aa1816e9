import type { Metadata } from "next";
import { AdminNav } from "~/components/admin/admin-nav";
import styles from "~/components/admin/admin.module.css";
import { formatUtc } from "~/lib/format";
import { requireUser } from "~/server/auth/session";
import { getDb } from "~/server/db";
import { EMAIL_STATUSES, emailQueue } from "~/server/email/queue";
import { RetryEmailButton } from "./retry-email-button";

export const metadata: Metadata = { title: "Email" };

/** The email outbox for operators: is email on, what is queued, sent and failed, and what the mail server said. */
export default async function AdminEmailPage() {
  await requireUser("admin", "/admin/email");
  const queue = await emailQueue((await getDb()).prisma);
  return (
    <div className="stack">
      <AdminNav />
      <div>
        <h1>Email</h1>
        <p className="lead" data-testid="email-settings">
          {queue.smtp ? (
            <>
              Email goes out through <code>{queue.smtp}</code> from <code>{queue.from}</code>.
            </>
          ) : (
            <>
              Email is off: set <code>SMTP_URL</code> and <code>EMAIL_FROM</code> (README, Email) and restart. Notifications stay on the site.
            </>
          )}
        </p>
      </div>
      <section aria-labelledby="email-counts">
        <h2 id="email-counts">Outbox</h2>
        <dl className={styles.counts} data-testid="email-counts">
          {EMAIL_STATUSES.map((s) => (
            <div key={s}>
              <dt>{s}</dt>
              <dd>{queue.counts[s]}</dd>
            </div>
          ))}
        </dl>
      </section>
      <section aria-labelledby="email-problems">
        <h2 id="email-problems">Failed and retrying</h2>
        {queue.problems.length === 0 ? (
          <p className={styles.muted}>Nothing has gone wrong.</p>
        ) : (
          <div className={styles.tableWrap}>
            <table data-testid="email-problems">
              <thead>
                <tr>
                  <th scope="col">Written</th>
                  <th scope="col">To</th>
                  <th scope="col">Email</th>
                  <th scope="col">Status</th>
                  <th scope="col">The mail server's last answer</th>
                  <th scope="col" aria-label="Actions" />
                </tr>
              </thead>
              <tbody>
                {queue.problems.map((p) => (
                  <tr key={p.id}>
                    <td>{formatUtc(p.createdAt)}</td>
                    <td>{p.to}</td>
                    <td>
                      {p.title}
                      <div className={styles.small}>{p.kind}</div>
                    </td>
                    <td>
                      {p.status === "failed" ? "failed" : `retrying at ${formatUtc(p.nextAttemptAt)}`}
                      <div className={styles.small}>{p.attempts} attempts</div>
                    </td>
                    <td className={styles.mono}>{p.lastError}</td>
                    <td>{p.status === "failed" ? <RetryEmailButton id={p.id} /> : null}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
