import { serverEnv } from "~/env";

/**
 * The secret that signs session cookies and anything else the site signs (one-click unsubscribe links). Outside
 * production it may be unset: a fixed development value then, which env.ts refuses in production.
 */
export function authSecret(): string {
  return serverEnv().AUTH_SECRET ?? "development-only-secret-not-for-production-use";
}
