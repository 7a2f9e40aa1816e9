import type { APIRequestContext } from "@playwright/test";

/** next-auth's session cookie on plain http (our test sites). */
export const SESSION_COOKIE = "next-auth.session-token";

/**
 * Signs in through next-auth's credentials endpoint as the sign-in form does (CSRF token first); the context keeps
 * the session cookie. Returns the decoded URL next-auth answers with: its `error=` says why a sign-in failed.
 */
export async function apiSignIn(api: APIRequestContext, email: string, password: string, headers: Record<string, string> = {}) {
  const { csrfToken } = (await (await api.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const res = await api.post("/api/auth/callback/credentials", { form: { csrfToken, email, password, json: "true" }, headers });
  return decodeURIComponent(((await res.json()) as { url: string }).url);
}

/** Signs out through next-auth's endpoint, as the header's Sign out button does. */
export async function apiSignOut(api: APIRequestContext) {
  const { csrfToken } = (await (await api.get("/api/auth/csrf")).json()) as { csrfToken: string };
  await api.post("/api/auth/signout", { form: { csrfToken, callbackUrl: "/", json: "true" } });
}

/** The value of the context's session cookie: what someone who copied it would hold. */
export async function sessionCookie(api: APIRequestContext): Promise<string> {
  const cookie = (await api.storageState()).cookies.find((c) => c.name === SESSION_COOKIE);
  if (!cookie) throw new Error("no session cookie: the sign-in did not take");
  return cookie.value;
}

/** Who the site says a bare copied cookie belongs to (account.me), or null. */
export async function whoIs(baseUrl: string, cookie: string): Promise<{ email: string; role: string } | null> {
  const res = await fetch(`${baseUrl}/api/trpc/account.me`, { headers: { cookie: `${SESSION_COOKIE}=${cookie}` } });
  if (!res.ok) throw new Error(`account.me answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { result: { data: { json: { email: string; role: string } | null } } }).result.data.json;
}

/** Calls a tRPC mutation over HTTP (superjson envelope) and returns the response. */
export function trpcMutation(api: APIRequestContext, path: string, input: unknown, headers: Record<string, string> = {}) {
  return api.post(`/api/trpc/${path}`, { data: { json: input }, headers: { "content-type": "application/json", ...headers } });
}
