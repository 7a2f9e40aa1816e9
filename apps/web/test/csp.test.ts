import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, newNonce, youtubeScriptOrigin } from "~/server/security/csp";

const directive = (csp: string, name: string) => csp.split("; ").find((d) => d.startsWith(`${name} `))?.split(" ").slice(1) ?? [];

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
  });

  it("makes a fresh nonce each time", () => {
    const a = newNonce();
    expect(a).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(newNonce()).not.toBe(a);
  });
});
