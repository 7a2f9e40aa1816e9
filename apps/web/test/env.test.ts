import { describe, expect, it } from "vitest";
import { EnvError, parseServerEnv } from "~/env";
import { safeCallbackUrl } from "~/lib/safe-url";

function problems(env: Record<string, string>): string[] {
  try {
    parseServerEnv(env);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(EnvError);
    return (error as EnvError).problems;
  }
}

describe("environment validation", () => {
  it("accepts an empty development environment with defaults", () => {
    expect(parseServerEnv({})).toMatchObject({ PORT: 3000, NODE_ENV: "development", SIGNIN_MAX_ATTEMPTS: 5 });
  });

  it("names every bad variable and why", () => {
    const found = problems({ PORT: "eighty", DATABASE_URL: "mysql://x", NEXTAUTH_URL: "localhost", AUTH_SECRET: "short" });
    expect(found).toHaveLength(4);
    expect(found.find((p) => p.startsWith("PORT "))).toBeDefined();
    expect(found.find((p) => p.startsWith("DATABASE_URL "))).toMatch(/PostgreSQL URL/);
    expect(found.find((p) => p.startsWith("NEXTAUTH_URL "))).toMatch(/full URL/);
    expect(found.find((p) => p.startsWith("AUTH_SECRET "))).toMatch(/at least 32/);
  });

  it("validates the sign-up limit and the trusted proxy hops", () => {
    expect(parseServerEnv({})).toMatchObject({ SIGNUP_MAX_PER_WINDOW: 10, SIGNUP_WINDOW_MINUTES: 60, TRUSTED_PROXY_HOPS: 0 });
    expect(parseServerEnv({ SIGNUP_MAX_PER_WINDOW: "200", TRUSTED_PROXY_HOPS: "1" })).toMatchObject({ SIGNUP_MAX_PER_WINDOW: 200, TRUSTED_PROXY_HOPS: 1 });
    const found = problems({ SIGNUP_MAX_PER_WINDOW: "0", SIGNUP_WINDOW_MINUTES: "soon", TRUSTED_PROXY_HOPS: "-1" });
    expect(found.map((p) => p.split(" ")[0])).toEqual(["SIGNUP_MAX_PER_WINDOW", "SIGNUP_WINDOW_MINUTES", "TRUSTED_PROXY_HOPS"]);
  });

  it("wants both GitHub variables or neither, and a secret in production", () => {
    expect(problems({ AUTH_GITHUB_ID: "abc" })).toEqual(["AUTH_GITHUB_SECRET is required when the other GitHub OAuth variable is set (set both or neither)"]);
    expect(problems({ NODE_ENV: "production" })[0]).toMatch(/^AUTH_SECRET is required in production/);
  });
});

describe("post-sign-in redirects", () => {
  it("only allow same-site paths", () => {
    expect(safeCallbackUrl("/account")).toBe("/account");
    expect(safeCallbackUrl("https://evil.example")).toBe("/");
    expect(safeCallbackUrl("//evil.example")).toBe("/");
    expect(safeCallbackUrl("/\\evil.example")).toBe("/");
    expect(safeCallbackUrl(undefined)).toBe("/");
    expect(safeCallbackUrl("http://evil.example", "http://127.0.0.1:3000")).toBe("/");
  });

  it("give plain ASCII for malformed or non-ASCII paths, so they fit in a Location header", () => {
    // Both answered 500 when a signed-in visitor's /signin redirected to them.
    expect(safeCallbackUrl("/\uFFFD%A")).toBe("/%EF%BF%BD%A");
    expect(safeCallbackUrl("/lessons/café?t=1m")).toBe("/lessons/caf%C3%A9?t=1m");
    expect(safeCallbackUrl("\uFFFD%A")).toBe("/");
    expect(safeCallbackUrl("/\t/evil.example")).toBe("/");
  });

  it("accept absolute URLs on the site's own origin, as paths", () => {
    expect(safeCallbackUrl("http://127.0.0.1:3000/account?x=1", "http://127.0.0.1:3000")).toBe("/account?x=1");
    expect(safeCallbackUrl("http://127.0.0.1:3001/account", "http://127.0.0.1:3000")).toBe("/");
    expect(safeCallbackUrl("javascript:alert(1)", "http://127.0.0.1:3000")).toBe("/");
  });
});
