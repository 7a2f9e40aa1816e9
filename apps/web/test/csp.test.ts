import http from "node:http";
import type { AddressInfo } from "node:net";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compression } from "~/server/security/compression.mjs";
import { DEFAULT_YOUTUBE_API_URL as PLAYER_DEFAULT } from "~/components/lesson/youtube-api";
import { DEFAULT_YOUTUBE_API_URL, contentSecurityPolicy, newNonce, youtubeScriptOrigin } from "~/server/security/csp.mjs";
import { applyResponseNonce, newPlaceholder, nonceRewriter } from "~/server/security/response-nonce.mjs";

const directive = (csp: string, name: string) => csp.split("; ").find((d) => d.startsWith(`${name} `))?.split(" ").slice(1) ?? [];
const nonceOf = (csp: string | undefined) => /'nonce-([^']+)'/.exec(csp ?? "")?.[1];

describe("Content-Security-Policy", () => {
  it("allows scripts only from the site, with the nonce, and from the YouTube API host; never inline or eval", () => {
    const csp = contentSecurityPolicy({ nonce: "abc123", dev: false, apiUrl: "https://www.youtube.com/iframe_api" });
    expect(directive(csp, "script-src")).toEqual(["'self'", "'nonce-abc123'", "https://www.youtube.com"]);
    expect(csp).not.toContain("unsafe-inline' 'nonce");
    expect(directive(csp, "script-src")).not.toContain("'unsafe-inline'");
    expect(directive(csp, "script-src")).not.toContain("'unsafe-eval'");
    expect(directive(csp, "frame-src")).toContain("https://www.youtube-nocookie.com");
    expect(directive(csp, "object-src")).toEqual(["'none'"]);
    expect(directive(csp, "img-src")).toEqual(["'self'", "data:", "blob:"]);
  });

  it("follows YOUTUBE_IFRAME_API_URL (the tests' stand-in) and ignores a non-web URL", () => {
    expect(youtubeScriptOrigin("https://youtube-stub.test/iframe_api.js")).toBe("https://youtube-stub.test");
    expect(youtubeScriptOrigin("javascript:alert(1)")).toBeUndefined();
    expect(youtubeScriptOrigin("not a url")).toBeUndefined();
    // The policy's default is the player's default.
    expect(DEFAULT_YOUTUBE_API_URL).toBe(PLAYER_DEFAULT);
  });

  it("makes a fresh nonce each time", () => {
    const a = newNonce();
    expect(a).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(newNonce()).not.toBe(a);
  });
});

describe("the nonce rewriter", () => {
  const P = "PPPPPPPPPPPPPPPPPPPPPP==";
  const N = "nnnnnnnnnnnnnnnnnnnnnn==";

  it("replaces the placeholder however the body is cut into chunks", () => {
    const body = `<script nonce="${P}">a</script><script nonce="${P}">b</script>${P}${P}<p>P</p>`;
    const expected = body.replaceAll(P, N);
    for (let size = 1; size <= body.length; size++) {
      const r = nonceRewriter(P, N);
      let out = "";
      for (let i = 0; i < body.length; i += size) out += r.push(Buffer.from(body.slice(i, i + size))).toString();
      out += r.finish().toString();
      expect(out, `chunks of ${size}`).toBe(expected);
    }
  });

  it("holds back only a tail that may be the start of a placeholder", () => {
    const r = nonceRewriter(P, N);
    expect(r.push(Buffer.from("<p>hello</p>")).toString()).toBe("<p>hello</p>");
    expect(r.push(Buffer.from('nonce="PPPP')).toString()).toBe('nonce="');
    expect(r.finish().toString()).toBe("PPPP");
  });
});

describe("each response's own nonce (server.mjs)", () => {
  const placeholder = newPlaceholder();
  let server: http.Server;
  let base = "";
  let seenNonces: (string | undefined)[] = [];

  beforeAll(async () => {
    const compress = compression();
    server = http.createServer((req, res) => {
      compress(req, res, () => {});
      applyResponseNonce(req, res, { placeholder });
      // Stands in for Next.js: the nonce it finds in the request's CSP, on its scripts, in pieces, as it streams.
      const nonce = nonceOf(req.headers["content-security-policy"] as string);
      seenNonces.push(nonce);
      const json = req.url === "/data";
      res.setHeader("Content-Type", json ? "application/json" : "text/html; charset=utf-8");
      res.setHeader("ETag", '"same-html-for-everyone"');
      res.setHeader("Cache-Control", "s-maxage=60, stale-while-revalidate=240");
      const html = `<!DOCTYPE html><html><body>${"<p>padding</p>".repeat(200)}<script nonce="${nonce}">self.__next_f=[]</script><script src="/a.js" nonce="${nonce}" async></script></body></html>`;
      const body = json ? JSON.stringify({ leaked: nonce }) : html;
      const cut = body.indexOf(nonce ?? "") + 5;
      res.write(body.slice(0, cut));
      setTimeout(() => res.end(body.slice(cut)), 5);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  async function get(path: string, headers: Record<string, string> = {}) {
    const response = await fetch(base + path, { headers });
    return { response, body: await response.text() };
  }

  it("renders with the secret placeholder and sends a fresh nonce in the header and on every script", async () => {
    seenNonces = [];
    const pages = await Promise.all([get("/"), get("/"), get("/", { "Content-Security-Policy": "script-src 'nonce-mine'" })]);
    expect(seenNonces).toEqual([placeholder, placeholder, placeholder]);
    const nonces = pages.map(({ response, body }) => {
      const nonce = nonceOf(response.headers.get("content-security-policy") ?? undefined);
      expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
      expect([...body.matchAll(/nonce="([^"]+)"/g)].map((m) => m[1])).toEqual([nonce, nonce]);
      expect(body).not.toContain(placeholder);
      expect(directive(response.headers.get("content-security-policy")!, "object-src")).toEqual(["'none'"]);
      // No ETag to revalidate an old copy with, and no shared cache handing one nonce to everyone.
      expect(response.headers.get("etag")).toBeNull();
      expect(response.headers.get("cache-control")).toBe("private, no-cache");
      return nonce;
    });
    expect(new Set(nonces).size).toBe(3);
    // Apart from the nonce, the same HTML for everyone.
    expect(pages[1].body.replaceAll(nonces[1]!, "N")).toBe(pages[0].body.replaceAll(nonces[0]!, "N"));
  });

  it("lets no placeholder out of any other response either, and compresses after rewriting", async () => {
    const { response, body } = await get("/data");
    expect(response.headers.get("content-security-policy")).toBeNull();
    expect(body).not.toContain(placeholder);
    expect(JSON.parse(body).leaked).toMatch(/^[A-Za-z0-9+/]{22}==$/);

    const gz = await new Promise<{ headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
      http
        .get(`${base}/`, { headers: { "accept-encoding": "gzip" } }, (res) => {
          const parts: Buffer[] = [];
          res.on("data", (c: Buffer) => parts.push(c));
          res.on("end", () => resolve({ headers: res.headers, body: zlib.gunzipSync(Buffer.concat(parts)).toString() }));
        })
        .on("error", reject);
    });
    expect(gz.headers["content-encoding"]).toBe("gzip");
    const nonce = nonceOf(gz.headers["content-security-policy"] as string | undefined);
    expect(gz.body).toContain(`nonce="${nonce}"`);
    expect(gz.body).not.toContain(placeholder);
  });
});
