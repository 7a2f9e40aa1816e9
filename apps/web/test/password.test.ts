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

  it("explains why a password is weak", () => {
    expect(passwordWeakness("short")).toMatch(/at least 10 characters/);
    expect(passwordWeakness("aaaaaaaaaaaa")).toMatch(/5 different characters/);
    expect(passwordWeakness("Password123")).toMatch(/most common/);
    expect(passwordWeakness("grace-hopper-99", "grace@example.com")).toMatch(/email name/);
    expect(passwordWeakness("a sound passphrase")).toBeUndefined();
  });
});
