import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { authSecret } from "~/server/auth/secret";
import { getDb } from "~/server/db";
import { describeUnsubscribe, oneClickPath } from "~/server/email/unsubscribe";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Unsubscribe", robots: { index: false, follow: false } };

/**
 * The link in every email: no sign-in (the signed token says whose and what), and a GET changes nothing, since link
 * scanners and previews open links; the button POSTs.
 */
export default async function UnsubscribePage({ params, searchParams }: { params: Promise<{ token: string }>; searchParams: Promise<{ done?: string }> }) {
  const [{ token }, { done }] = await Promise.all([params, searchParams]);
  const view = await describeUnsubscribe((await getDb()).prisma, authSecret(), token);
  if (!view) notFound();
  return (
    <div className="stack" style={{ maxWidth: 560 }}>
      <h1>Unsubscribe</h1>
      {done || view.alreadyOff ? (
        <div className="alert ok" role="status" data-testid="unsubscribed">
          {view.address} will no longer get {view.what}.
        </div>
      ) : (
        <form method="post" action={oneClickPath(token)} className="stack">
          <p className="lead">
            Stop {view.what} to {view.address}?
          </p>
          <div>
            <button type="submit" className="button">
              Unsubscribe
            </button>
          </div>
        </form>
      )}
      <p className="hint">
        Signed in, you can choose each kind of email, or a daily digest, on <Link href="/notifications">your notifications page</Link>.
      </p>
    </div>
  );
}
