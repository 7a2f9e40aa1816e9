import NextAuth from "next-auth";
import { NextRequest } from "next/server";
import { safeCallbackUrl } from "~/lib/safe-url";
import { authOptions } from "~/server/auth/options";

/**
 * next-auth answers 500 to query values it cannot put in a Location header (`?callbackUrl=%E0%A4%A`) and copies
 * `?error=` into its redirect unescaped. Both are made safe here: a callback that is not one of our own pages
 * becomes "/", and the error text is escaped once (the sign-in page reads it back decoded).
 */
function withSafeQuery(req: NextRequest, action: string | undefined): NextRequest {
  const url = new URL(req.url);
  const callbackUrl = url.searchParams.get("callbackUrl");
  const error = url.searchParams.get("error");
  let changed = false;
  if (callbackUrl !== null) {
    const safe = safeCallbackUrl(callbackUrl, url.origin);
    if (safe !== callbackUrl) {
      url.searchParams.set("callbackUrl", safe);
      changed = true;
    }
  }
  if (action === "error" && error !== null && encodeURIComponent(error) !== error) {
    url.searchParams.set("error", encodeURIComponent(error.slice(0, 300)));
    changed = true;
  }
  return changed ? new NextRequest(url, req) : req;
}

// Built per request so that a bad environment fails with the validation message, not at import.
async function handler(req: NextRequest, ctx: { params: Promise<{ nextauth: string[] }> }) {
  const action = (await ctx.params).nextauth[0];
  // eslint-disable-next-line @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-call -- next-auth 4 types its App Router handler as any
  return NextAuth(authOptions())(withSafeQuery(req, action), ctx);
}

export { handler as GET, handler as POST };
