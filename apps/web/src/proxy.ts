// Runs before every page request (Next.js 16 "proxy", formerly middleware). Security checks live in their own
// modules under server/security; this file only wires them in.
import { NextResponse, type NextRequest } from "next/server";
import { contentSecurityPolicy, newNonce } from "~/server/security/csp";

export function proxy(request: NextRequest) {
  const nonce = newNonce();
  const csp = contentSecurityPolicy({ nonce });
  // Next.js reads the nonce from the request's CSP header and puts it on the scripts it renders.
  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  headers.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("Content-Security-Policy", csp);
  return response;
}

export const config = {
  // Pages only: static files, images and the API (JSON, no scripts) need no nonce.
  matcher: [{ source: "/((?!api/|_next/static|_next/image|favicon.ico).*)" }],
};
