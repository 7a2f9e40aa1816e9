import type { Database } from "@course/db";
import { describe, expect, it, vi } from "vitest";
import { completion } from "./homework-support";
import type { PublicUser } from "~/server/auth/users";
import { signUpWithPassword } from "~/server/auth/users";
import { refuseCrossSiteWrite } from "~/server/auth/same-origin";
import { createRunnerToken } from "~/server/runner/tokens";
import { eachBackend } from "./support/backends";

// The route handlers read the session through Next's request scope, which a test has not: the test decides who is
// signed in. The database is the real one (PGlite, or PostgreSQL with TEST_DATABASE_URL).
const current = vi.hoisted(() => ({ user: null as PublicUser | null, db: null as Database | null }));
vi.mock("~/server/auth/session", () => ({ getCurrentUser: async () => current.user, requireUser: async () => current.user }));
vi.mock("~/server/db", () => ({
  getDb: async () => {
    if (!current.db) throw new Error("no database");
    return current.db;
  },
}));

const { POST: trpcPost } = await import("~/app/api/trpc/[trpc]/route");
const { POST: submissionsPost } = await import("~/app/api/submissions/route");
const { POST: claimPost } = await import("~/app/api/runner/claim/route");

const SITE = "http://127.0.0.1:3000";
const signUpCall = (headers: Record<string, string>, email: string) =>
  new Request(`${SITE}/api/trpc/auth.signUp`, {
    method: "POST",
    headers: { host: "127.0.0.1:3000", "content-type": "application/json", ...headers },
    body: JSON.stringify({ json: { email, password: "a sound passphrase" } }),
  });
const upload = (headers: Record<string, string>) => {
  const form = new FormData();
  form.set("assignment", "lesson-1");
  form.set("file", new Blob(["{}"], { type: "application/x-ipynb+json" }), "homework.ipynb");
  return new Request(`${SITE}/api/submissions`, { method: "POST", headers: { host: "127.0.0.1:3000", ...headers }, body: form });
};

describe("refuseCrossSiteWrite", () => {
  const req = (method: string, headers: Record<string, string>) => new Request(`${SITE}/api/trpc/x`, { method, headers: { host: "127.0.0.1:3000", ...headers } });

  it("lets our own pages, programs without browser headers, and reads through", () => {
    expect(refuseCrossSiteWrite(req("POST", { origin: SITE, "sec-fetch-site": "same-origin" }), SITE)).toBeUndefined();
    expect(refuseCrossSiteWrite(req("POST", { "sec-fetch-site": "none" }), SITE)).toBeUndefined();
    expect(refuseCrossSiteWrite(req("POST", {}), SITE)).toBeUndefined();
    expect(refuseCrossSiteWrite(req("GET", { origin: "http://evil.example", "sec-fetch-site": "cross-site" }), SITE)).toBeUndefined();
    // Behind a TLS proxy NEXTAUTH_URL is the public origin; the Host alone also matches our own pages.
    expect(refuseCrossSiteWrite(req("POST", { origin: "https://course.example" }), "https://course.example")).toBeUndefined();
    expect(refuseCrossSiteWrite(req("POST", { origin: "https://127.0.0.1:3000" }), undefined)).toBeUndefined();
  });

  it("refuses another origin, a null origin, and a cross-site or same-site fetch without an Origin", async () => {
    for (const headers of <Record<string, string>[]>[
      { origin: "http://evil.example", "sec-fetch-site": "cross-site" },
      { origin: "http://127.0.0.1:3001" },
      { origin: "null" },
      { "sec-fetch-site": "cross-site" },
      { "sec-fetch-site": "same-site" },
    ]) {
      const refused = refuseCrossSiteWrite(req("POST", headers), SITE);
      expect(refused?.status, JSON.stringify(headers)).toBe(403);
      expect((await refused!.json()).error).toMatch(/^Cross-site request refused: this site only accepts changes from its own pages/);
    }
  });
});

eachBackend((db) => {
  describe("state-changing endpoints", () => {
    it("tRPC mutations: a same-origin sign-up goes through, a cross-site one is refused with 403 and changes nothing", async () => {
      current.db = db();
      current.user = null;
      const ok = await trpcPost(signUpCall({ origin: SITE, "sec-fetch-site": "same-origin" }, "ours@example.com"));
      expect(ok.status).toBe(200);
      const refused = await trpcPost(signUpCall({ origin: "http://evil.example", "sec-fetch-site": "cross-site" }, "theirs@example.com"));
      expect(refused.status).toBe(403);
      expect(await refused.json()).toEqual({
        error: "Cross-site request refused: this site only accepts changes from its own pages, and this request came from http://evil.example.",
      });
      expect((await db().prisma.user.findMany({ select: { email: true } })).map((u) => u.email)).toEqual(["ours@example.com"]);
    });

    it("homework uploads: a cross-site POST is refused before anything is read or stored", async () => {
      current.db = db();
      current.user = await signUpWithPassword(db().prisma, { email: "student@example.com", password: "a sound passphrase" });
      const refused = await submissionsPost(upload({ origin: "http://evil.example", "sec-fetch-site": "cross-site" }));
      expect(refused.status).toBe(403);
      expect((await refused.json()).error).toMatch(/Cross-site request refused/);
      // Same origin reaches the upload's own checks (here: no such assignment in this test's content), not a 403.
      const ours = await submissionsPost(upload({ origin: SITE, "sec-fetch-site": "same-origin" }));
      expect(ours.status).not.toBe(403);
      expect(await db().prisma.submission.count()).toBe(0);
    });

    it("runner routes authenticate with bearer tokens and are not subject to the Origin check", async () => {
      current.db = db();
      current.user = null;
      const { token } = await createRunnerToken(db().prisma, "remote runner");
      const res = await claimPost(
        new Request(`${SITE}/api/runner/claim`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json", origin: "http://runner.example", "sec-fetch-site": "cross-site" },
          body: JSON.stringify({ capabilities: completion([0.2, 0.9]).capabilities, waitSeconds: 0 }),
        }),
      );
      expect(res.status).toBe(204);
    });
  });
});
