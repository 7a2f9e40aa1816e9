import { describe, expect, it } from "vitest";
import { hashPassword, passwordWeakness, verifyPassword } from "~/server/auth/password";

describe("password hashing", () => {
  it("verifies the right password and rejects a wrong one", async () => {
    const hash = await hashPassword("correct horse battery");
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(await verifyPassword("correct horse battery", hash)).toBe(true);
    expect(await verifyPassword("correct horse batterz", hash)).toBe(false);
  });

  it("salts every hash", async () => {
    expect(await hashPassword("same password here")).not.toBe(await hashPassword("same password here"));
  });

  it("rejects malformed stored hashes instead of throwing", async () => {
    expect(await verifyPassword("anything", "md5$abc")).toBe(false);
    expect(await verifyPassword("anything", "")).toBe(false);
  });

  it("refuses guessable passwords with zxcvbn's warning and suggestion", async () => {
    // password12 was accepted by the old hand-made rules (10 characters, 8 different, not on its short list).
    expect(await passwordWeakness("password12")).toBe(
      "This password is too easy to guess. This is a commonly used password. Add more words that are less common.",
    );
    expect(await passwordWeakness("Password123")).toMatch(/commonly used password.*Capitalize more than the first letter/);
    expect(await passwordWeakness("qwertyuiop12")).toMatch(/too easy to guess/);
    expect(await passwordWeakness("aaaaaaaaaaaa")).toMatch(/Repeated characters like "aaa" are easy to guess/);
    expect(await passwordWeakness("short")).toMatch(/too easy to guess/);
  });

  it("counts the email and name as known: a password built on them is weak", async () => {
    const grace = { email: "grace.hopper@example.com", name: "Grace Hopper" };
    expect(await passwordWeakness("grace-hopper-99", grace)).toMatch(/built on your email or name/);
    expect(await passwordWeakness("GraceHopper1906", grace)).toMatch(/too easy to guess/);
    expect(await passwordWeakness("gracehopperexample", grace)).toMatch(/too easy to guess/);
    // The same password is fine for someone else, and a strong passphrase stays fine when it mentions the name.
    expect(await passwordWeakness("grace-hopper-99", { email: "ada@example.com" })).toBeUndefined();
    expect(await passwordWeakness("grace zebra violin mountain", grace)).toBeUndefined();
  });

  it("accepts strong passphrases and keeps the length cap", async () => {
    expect(await passwordWeakness("a sound passphrase")).toBeUndefined();
    expect(await passwordWeakness("zebra violin mountain 42")).toBeUndefined();
    expect(await passwordWeakness(`${"correct horse battery staple ".repeat(7)}x`)).toMatch(/at most 200 characters/);
  });
});
