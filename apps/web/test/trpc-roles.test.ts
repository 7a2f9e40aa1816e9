import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { signUpWithPassword, type PublicUser } from "~/server/auth/users";
import { createCaller } from "~/server/trpc/root";
import { eachBackend } from "./support/backends";

const password = "a sound passphrase";
const code = (error: unknown) => (error instanceof TRPCError ? error.code : String(error));

eachBackend((db) => {
  const caller = (user: PublicUser | null) => createCaller({ db: db(), user, ip: "127.0.0.1" });

  async function people() {
    const admin = await signUpWithPassword(db().prisma, { email: "admin@example.com", password });
    const student = await signUpWithPassword(db().prisma, { email: "student@example.com", password });
    return { admin, student };
  }

  describe("API procedures check roles on the server", () => {
    it("refuses the admin user list to anonymous visitors and students, and gives it to admins", async () => {
      const { admin, student } = await people();
      expect(code(await caller(null).admin.users().catch((e: unknown) => e))).toBe("UNAUTHORIZED");
      expect(code(await caller(student).admin.users().catch((e: unknown) => e))).toBe("FORBIDDEN");
      const users = await caller(admin).admin.users();
      expect(users.map((u) => u.email)).toEqual(["admin@example.com", "student@example.com"]);
    });

    it("lets only admins change roles, and a grader is not an admin", async () => {
      const { admin, student } = await people();
      expect(code(await caller(student).admin.setRole({ email: "student@example.com", role: "admin" }).catch((e: unknown) => e))).toBe("FORBIDDEN");
      const grader = await caller(admin).admin.setRole({ email: "student@example.com", role: "grader" });
      expect(grader.role).toBe("grader");
      expect(code(await caller(grader).admin.users().catch((e: unknown) => e))).toBe("FORBIDDEN");
      expect((await db().prisma.user.findUniqueOrThrow({ where: { email: "student@example.com" } })).role).toBe("grader");
    });

    it("signs up through the API with clear errors and refuses a signed-in user", async () => {
      await expect(caller(null).auth.signUp({ email: "new@example.com", password })).resolves.toEqual({ email: "new@example.com", role: "admin" });
      const taken = await caller(null).auth.signUp({ email: "new@example.com", password }).catch((e: unknown) => e);
      expect(code(taken)).toBe("CONFLICT");
      expect((taken as Error).message).toMatch(/already exists/);
      const weak = await caller(null).auth.signUp({ email: "other@example.com", password: "123" }).catch((e: unknown) => e);
      expect(code(weak)).toBe("BAD_REQUEST");
      const me = await db().prisma.user.findUniqueOrThrow({ where: { email: "new@example.com" } });
      expect(code(await caller(me).auth.signUp({ email: "x@example.com", password }).catch((e: unknown) => e))).toBe("BAD_REQUEST");
    });

    it("lets a signed-in user rename themselves and change their password only with the current one", async () => {
      const { student } = await people();
      expect(code(await caller(null).account.updateName({ name: "x" }).catch((e: unknown) => e))).toBe("UNAUTHORIZED");
      await caller(student).account.updateName({ name: "Stu" });
      expect((await db().prisma.user.findUniqueOrThrow({ where: { id: student.id } })).name).toBe("Stu");
      const wrong = await caller(student).account.changePassword({ current: "not it at all", next: "another passphrase" }).catch((e: unknown) => e);
      expect((wrong as Error).message).toMatch(/current password/);
      await expect(caller(student).account.changePassword({ current: password, next: "another passphrase" })).resolves.toEqual({ ok: true });
    });
  });
});
