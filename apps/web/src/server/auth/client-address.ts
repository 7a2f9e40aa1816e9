/**
 * Set by the web server (apps/web/server.mjs) from the TCP socket, or from TRUSTED_PROXY_HOPS proxies'
 * X-Forwarded-For; any copy a client sends is removed there first. The one place the app learns a client's address:
 * never read X-Forwarded-For or X-Real-IP, which a client can write.
 */
export const CLIENT_ADDRESS_HEADER = "x-course-client-ip";

/** The client's address as the web server saw it, or undefined when the app runs without it (`next dev`). */
export function clientAddress(headers: Headers | Record<string, unknown> | undefined): string | undefined {
  const value = headers instanceof Headers ? headers.get(CLIENT_ADDRESS_HEADER) : headers?.[CLIENT_ADDRESS_HEADER];
  return typeof value === "string" && value.length > 0 && value.length <= 64 ? value : undefined;
}
