import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { hashPassword, passwordWeakness, verifyPassword } from "../../auth/password";
import { endAllSessions } from "../../auth/session-version";
import { createTRPCRouter, protectedProcedure, publicProcedure } from "../init";

export const accountRouter = createTRPCRouter({
  me: publicProcedure.query(({ ctx }) => ctx.user),

  updateName: protectedProcedure
    .input(z.object({ name: z.string().trim().max(100, "Name must be at most 100 characters.") }))
    .mutation(async ({ ctx, input }) => {
      const user = await ctx.db.prisma.user.update({
        where: { id: ctx.user.id },
        data: { name: input.name || null },
        select: { name: true },
      });
      return user;
    }),

  changePassword: protectedProcedure
    .input(z.object({ current: z.string().max(1000), next: z.string().max(1000) }))
    .mutation(async ({ ctx, input }) => {
      const row = await ctx.db.prisma.user.findUniqueOrThrow({ where: { id: ctx.user.id }, select: { passwordHash: true, email: true, name: true } });
      if (row.passwordHash && !(await verifyPassword(input.current, row.passwordHash))) {
        throw new TRPCError({ code: "BAD_REQUEST", message: "Your current password is not right." });
      }
      const weakness = await passwordWeakness(input.next, { email: row.email, name: row.name });
      if (weakness) throw new TRPCError({ code: "BAD_REQUEST", message: weakness });
      // Whoever knew the old password may hold a session: every session ends (the form signs this browser in again).
      await ctx.db.prisma.user.update({
        where: { id: ctx.user.id },
        data: { passwordHash: await hashPassword(input.next), sessionVersion: { increment: 1 } },
      });
      return { ok: true };
    }),

  /** Ends every session of the account, on every device, this one included. */
  signOutEverywhere: protectedProcedure.mutation(async ({ ctx }) => {
    await endAllSessions(ctx.db.prisma, ctx.user.id);
    return { ok: true };
  }),
});
