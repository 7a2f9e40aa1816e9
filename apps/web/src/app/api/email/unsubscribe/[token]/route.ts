import { authSecret } from "~/server/auth/secret";
import { getDb } from "~/server/db";
import { unsubscribe, unsubscribePagePath } from "~/server/email/unsubscribe";
import { answering, problem } from "~/server/http/problem";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ token: string }> };

const invalid = () => problem(404, { error: "This unsubscribe link is not valid: it was changed or cut. Open the whole link from the email, or choose what we email you at /notifications." });

/** A mail client that opens the List-Unsubscribe address in a browser gets the confirmation page; GET changes nothing. */
export async function GET(_req: Request, { params }: Params) {
  const { token } = await params;
  return new Response(null, { status: 303, headers: { Location: unsubscribePagePath(encodeURIComponent(token)), "Cache-Control": "no-store" } });
}

/**
 * Unsubscribes, with the signed token as the only credential (no session, no cross-site check: RFC 8058 POSTs come
 * from mail providers' servers with no cookies, and whoever holds the link may use it from anywhere). A mail client's
 * one-click POST (`List-Unsubscribe=One-Click`) gets a plain 200; the confirmation page's form is sent back to the page.
 */
export async function POST(req: Request, { params }: Params) {
  const { token } = await params;
  return answering("email unsubscribe", async () => {
    const form = await req.formData().catch(() => null);
    const done = await unsubscribe((await getDb()).prisma, authSecret(), token);
    if (!done) return invalid();
    if (form?.get("List-Unsubscribe") === "One-Click") {
      return new Response(`Unsubscribed: ${done.address} will no longer get ${done.what}.\n`, { headers: { "content-type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
    }
    return new Response(null, { status: 303, headers: { Location: `${unsubscribePagePath(encodeURIComponent(token))}?done=1`, "Cache-Control": "no-store" } });
  });
}

