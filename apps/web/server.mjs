#!/usr/bin/env node
// The web app's production HTTP server (what `npm start` runs): Next's request handler behind a plain Node server.
// `next start` hands route handlers whatever X-Forwarded-For the client sent, so a per-address limit could be dodged
// by rotating that header. Here the client address is taken from the TCP socket, or from the configured number of
// trusted proxies' X-Forwarded-For entries, and passed to the app in one header that clients cannot set.
// It also owns the Content-Security-Policy: each response gets its own nonce, cached pages included
// (src/server/security/response-nonce.mjs), and is compressed only after that (Next's own compression is off). Signed-out
// visitors' views of cached pages are answered before Next (src/server/http/anonymous-page-cache.mjs).
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { anonymousPageCache } from "./src/server/http/anonymous-page-cache.mjs";
import { compression } from "./src/server/security/compression.mjs";
import { contentSecurityPolicy } from "./src/server/security/csp.mjs";
import { applyResponseNonce, newPlaceholder } from "./src/server/security/response-nonce.mjs";

/** The app reads the client address from this header only (apps/web/src/server/auth/client-address.ts). */
export const CLIENT_ADDRESS_HEADER = "x-course-client-ip";

/** TRUSTED_PROXY_HOPS: how many reverse proxies in front of the site append to X-Forwarded-For (default 0). */
export function parseTrustedProxyHops(value) {
  if (value === undefined || value === "") return 0;
  if (!/^\d+$/.test(value) || Number(value) > 10) {
    throw new Error(`TRUSTED_PROXY_HOPS must be a whole number from 0 to 10 (the reverse proxies in front of the site), got "${value}".`);
  }
  return Number(value);
}

/** "::ffff:10.0.0.1" -> "10.0.0.1"; "10.0.0.1:4711" and "[::1]:4711" lose the port; anything else not an IP -> undefined. */
function normalize(address) {
  let a = String(address ?? "").trim();
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(a);
  const v6WithPort = /^\[([^\]]+)\](?::\d+)?$/.exec(a);
  if (v4WithPort) a = v4WithPort[1];
  else if (v6WithPort) a = v6WithPort[1];
  if (/^::ffff:\d{1,3}(?:\.\d{1,3}){3}$/i.test(a)) a = a.slice(7);
  return net.isIP(a) ? a.toLowerCase() : undefined;
}

/**
 * The client's address. With 0 trusted hops it is the socket's peer: X-Forwarded-For is the client's own claim.
 * With N hops, each trusted proxy appended the address it saw, so the N-th entry from the right is what the outermost
 * trusted proxy saw; anything further left was written by the client and is ignored.
 */
export function clientAddress(req, hops) {
  const socket = normalize(req.socket?.remoteAddress);
  if (hops === 0) return socket;
  const raw = req.headers["x-forwarded-for"];
  const forwarded = (Array.isArray(raw) ? raw.join(",") : (raw ?? "")).split(",").map((s) => s.trim()).filter(Boolean);
  const nearestFirst = [socket, ...forwarded.reverse()];
  // Fewer entries than hops: the request skipped a proxy; the leftmost entry is the best we have.
  for (let i = Math.min(hops, nearestFirst.length - 1); i >= 0; i--) {
    const address = normalize(nearestFirst[i]);
    if (address) return address;
  }
  return socket;
}

/** Replaces any client-sent copy of the private header with the address we computed. */
export function markClientAddress(req, hops) {
  delete req.headers[CLIENT_ADDRESS_HEADER];
  const address = clientAddress(req, hops);
  if (address) req.headers[CLIENT_ADDRESS_HEADER] = address;
}

/** Prepares the built Next app in `dir` and serves it on `port` (all interfaces, as `next start` does). */
export async function startWebServer({ dir, port, hops }) {
  const dev = process.env.NODE_ENV === "development";
  const apiUrl = process.env.YOUTUBE_IFRAME_API_URL || undefined;
  const policy = (nonce) => contentSecurityPolicy({ nonce, dev, apiUrl });
  const started = Date.now();
  const { default: next } = await import("next");
  const app = next({ dev: false, dir, hostname: "localhost", port });
  await app.prepare();
  const handle = app.getRequestHandler();
  // Next renders every page with this nonce; it never leaves the process (each response gets a fresh one instead).
  const placeholder = newPlaceholder();
  const compress = compression();
  const anonymous = anonymousPageCache();
  const fail = (res) => (error) => {
    console.error("[web] request failed:", error);
    if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
    res.end("Internal Server Error");
  };
  const server = http.createServer((req, res) => {
    markClientAddress(req, hops);
    // Order matters: the nonce goes into the body before compression sees it.
    compress(req, res, () => {});
    applyResponseNonce(req, res, { placeholder, policy });
    // A signed-out visitor's view of a cached page is answered here while it is current; anything else goes to Next.
    anonymous
      .serve(req, res)
      .then((answered) => (answered ? undefined : anonymous.handle(req, res, () => handle(req, res))))
      .catch(fail(res));
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, resolve);
  });
  // scripts/start.mjs waits for "Ready in" before it checks the site's health.
  console.log(`✓ Ready in ${Date.now() - started}ms on http://localhost:${port}${hops ? ` (trusting ${hops} proxy hop${hops === 1 ? "" : "s"})` : ""}`);
  return server;
}

async function main() {
  const port = Number(process.env.PORT || 3000);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`PORT must be a port number, got "${process.env.PORT}".`);
  const hops = parseTrustedProxyHops(process.env.TRUSTED_PROXY_HOPS);
  const server = await startWebServer({ dir: path.dirname(fileURLToPath(import.meta.url)), port, hops });
  // Exit (not die by the signal) so that exit handlers run, e.g. the embedded database's lock release.
  const stop = () => {
    setTimeout(() => process.exit(0), 2000).unref();
    server.close(() => process.exit(0));
    server.closeIdleConnections();
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
