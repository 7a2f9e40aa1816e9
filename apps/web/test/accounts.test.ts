import { describe, expect, it } from "vitest";
import { authenticate, setRole, signUpWithPassword, userForGitHub, WRONG_CREDENTIALS } from "~/server/auth/users";
import { RateLimitedError, recordFailedSignIn } from "~/server/auth/rate-limit";
import { eachBackend } from "./support/backends";

const policy = { maxAttempts: 3, windowMinutes: 15 };
const password = "a sound passphrase";

eachBackend((db) => {
  describe("sign up", () => {
    it("makes the first account admin and the next ones students, and reports the first admin", async () => {
      const announced: string[] = [];
      const first = await signUpWithPassword(db().prisma, { email: "Ada@Example.com", password }, (u) => announced.push(u.email));
      const second = await signUpWithPassword(db().prisma, { email: "bob@example.com", password }, (u) => announced.push(u.email));
      expect(first).toMatchObject({ email: "ada@example.com", role: "admin" });
      expect(second.role).toBe("student");
      expect(announced).toEqual(["ada@example.com"]);
    });

    it("gives exactly one admin when several first sign-ups race", async () => {
      const users = await Promise.all(
        Array.from({ length: 5 }, (_, i) => signUpWithPassword(db().prisma, { email: `racer${i}@example.com`, password })),
      );
      expect(users.filter((u) => u.role === "admin")).toHaveLength(1);
    });

    it("says clearly when the email is taken, the address is invalid or the password is weak", async () => {
      await signUpWithPassword(db().prisma, { email: "ada@example.com", password });
      await expect(signUpWithPassword(db().prisma, { email: "ADA@example.com", password })).rejects.toThrow(/already exists/);
      await expect(signUpWithPassword(db().prisma, { email: "not-an-email", password })).rejects.toThrow(/valid email/);
      await expect(signUpWithPassword(db().prisma, { email: "cy@example.com", password: "short" })).rejects.toThrow(/too easy to guess/);
      await expect(signUpWithPassword(db().prisma, { email: "cy@example.com", password: "password12" })).rejects.toThrow(/commonly used password/);
      expect(await db().prisma.user.count()).toBe(1);
    });

    it("limits sign-ups per client address and window, with a clear message, and keeps sign-in limits apart", async () => {
      const limit = (ip: string | undefined) => ({ ip, policy: { maxAttempts: 2, windowMinutes: 60 } });
      await signUpWithPassword(db().prisma, { email: "one@example.com", password }, undefined, limit("203.0.113.7"));
      // A taken email still counts: probing which emails exist costs slots too.
      await expect(signUpWithPassword(db().prisma, { email: "one@example.com", password }, undefined, limit("203.0.113.7"))).rejects.toThrow(/already exists/);
      const refused = await signUpWithPassword(db().prisma, { email: "two@example.com", password }, undefined, limit("203.0.113.7")).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(RateLimitedError);
      expect((refused as Error).message).toBe("Too many accounts were created from your network recently. Try again in 60 minutes.");
      expect(await db().prisma.user.count()).toBe(1);
      // Another address is not affected, and a sign-in failure's clean-up (a shorter window) does not forget sign-ups.
      await signUpWithPassword(db().prisma, { email: "three@example.com", password }, undefined, limit("198.51.100.4"));
      await recordFailedSignIn(db().prisma, ["email:one@example.com"], { maxAttempts: 5, windowMinutes: 15 }, new Date(Date.now() + 30 * 60_000));
      await expect(signUpWithPassword(db().prisma, { email: "four@example.com", password }, undefined, limit("203.0.113.7"))).rejects.toBeInstanceOf(
        RateLimitedError,
      );
      // Clients whose address is unknown share one bucket rather than going unlimited.
      await signUpWithPassword(db().prisma, { email: "five@example.com", password }, undefined, limit(undefined));
      await signUpWithPassword(db().prisma, { email: "six@example.com", password }, undefined, limit(undefined));
      await expect(signUpWithPassword(db().prisma, { email: "seven@example.com", password }, undefined, limit(undefined))).rejects.toBeInstanceOf(
        RateLimitedError,
      );
    });

    it("stores a hash, never the password", async () => {
      await signUpWithPassword(db().prisma, { email: "ada@example.com", password });
      const row = await db().prisma.user.findUniqueOrThrow({ where: { email: "ada@example.com" } });
      expect(row.passwordHash).not.toContain(password);
      expect(row.passwordHash).toMatch(/^scrypt\$/);
    });
  });

  describe("sign in", () => {
    it("accepts the right password and gives the same answer for a wrong password and an unknown email", async () => {
      await signUpWithPassword(db().prisma, { email: "ada@example.com", password });
      await expect(authenticate(db().prisma, { email: " ADA@example.com ", password }, policy)).resolves.toMatchObject({ role: "admin" });
      const wrong = await authenticate(db().prisma, { email: "ada@example.com", password: "wrong password!" }, policy).catch((e: Error) => e.message);
      const unknown = await authenticate(db().prisma, { email: "nobody@example.com", password }, policy).catch((e: Error) => e.message);
      expect(wrong).toBe(WRONG_CREDENTIALS);
      expect(unknown).toBe(WRONG_CREDENTIALS);
    });

    it("rate limits an email after repeated failures, even with the right password, and says when to retry", async () => {
      await signUpWithPassword(db().prisma, { email: "ada@example.com", password });
      for (let i = 0; i < policy.maxAttempts; i++) {
        await expect(authenticate(db().prisma, { email: "ada@example.com", password: "nope nope nope" }, policy)).rejects.toThrow(WRONG_CREDENTIALS);
      }
      const error = await authenticate(db().prisma, { email: "ada@example.com", password }, policy).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RateLimitedError);
      expect((error as Error).message).toMatch(/Too many sign-in attempts\. Try again in 15 minutes\./);
    });

    it("rate limits unknown emails the same way, so the limit reveals nothing", async () => {
      for (let i = 0; i < policy.maxAttempts; i++) {
        await authenticate(db().prisma, { email: "ghost@example.com", password }, policy).catch(() => undefined);
      }
      await expect(authenticate(db().prisma, { email: "ghost@example.com", password }, policy)).rejects.toBeInstanceOf(RateLimitedError);
    });

    it("rate limits one IP across many emails", async () => {
      const loose = { maxAttempts: 1, windowMinutes: 15 };
      for (let i = 0; i < 6; i++) {
        await authenticate(db().prisma, { email: `guess${i}@example.com`, password, ip: "203.0.113.9" }, loose).catch(() => undefined);
      }
      await expect(authenticate(db().prisma, { email: "fresh@example.com", password, ip: "203.0.113.9" }, loose)).rejects.toBeInstanceOf(
        RateLimitedError,
      );
      await expect(authenticate(db().prisma, { email: "fresh@example.com", password, ip: "198.51.100.1" }, loose)).rejects.toThrow(
        WRONG_CREDENTIALS,
      );
    });

    it("forgets earlier failures after a successful sign-in", async () => {
      await signUpWithPassword(db().prisma, { email: "ada@example.com", password });
      for (let i = 0; i < policy.maxAttempts - 1; i++) {
        await authenticate(db().prisma, { email: "ada@example.com", password: "nope nope nope" }, policy).catch(() => undefined);
      }
      await authenticate(db().prisma, { email: "ada@example.com", password }, policy);
      await authenticate(db().prisma, { email: "ada@example.com", password: "nope nope nope" }, policy).catch(() => undefined);
      await expect(authenticate(db().prisma, { email: "ada@example.com", password }, policy)).resolves.toBeTruthy();
    });
  });

  describe("roles", () => {
    it("changes a role and refuses to remove the last admin", async () => {
      await signUpWithPassword(db().prisma, { email: "ada@example.com", password });
      await signUpWithPassword(db().prisma, { email: "bob@example.com", password });
      await expect(setRole(db().prisma, "bob@example.com", "grader")).resolves.toMatchObject({ role: "grader" });
      await expect(setRole(db().prisma, "ada@example.com", "student")).rejects.toThrow(/last admin/);
      await expect(setRole(db().prisma, "nobody@example.com", "grader")).rejects.toThrow(/No account/);
    });

    it("ends the account's sessions on a demotion, not on a promotion", async () => {
      await signUpWithPassword(db().prisma, { email: "ada@example.com", password });
      await signUpWithPassword(db().prisma, { email: "bob@example.com", password });
      const version = async () => (await db().prisma.user.findUniqueOrThrow({ where: { email: "bob@example.com" } })).sessionVersion;
      await setRole(db().prisma, "bob@example.com", "admin");
      expect(await version()).toBe(0);
      await setRole(db().prisma, "bob@example.com", "grader");
      expect(await version()).toBe(1);
      await setRole(db().prisma, "bob@example.com", "grader");
      expect(await version()).toBe(1);
    });
  });

  describe("GitHub accounts", () => {
    it("creates a user on first GitHub sign-in, finds it again, and links to an existing email", async () => {
      const first = await userForGitHub(db().prisma, { accountId: "101", email: "Octo@Example.com", name: "Octo" });
      expect(first).toMatchObject({ email: "octo@example.com", role: "admin", name: "Octo" });
      expect((await userForGitHub(db().prisma, { accountId: "101", email: "changed@example.com", name: null })).id).toBe(first.id);

      await signUpWithPassword(db().prisma, { email: "ada@example.com", password });
      const linked = await userForGitHub(db().prisma, { accountId: "202", email: "ada@example.com", name: "Ada" });
      expect(linked.email).toBe("ada@example.com");
      expect(await db().prisma.account.count()).toBe(2);
    });

    it("refuses a GitHub identity without an email", async () => {
      await expect(userForGitHub(db().prisma, { accountId: "303", email: null, name: "x" })).rejects.toThrow(/no public verified email/);
    });
  });
});
