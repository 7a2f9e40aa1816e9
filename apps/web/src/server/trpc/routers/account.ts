import { z } from "zod";
import { endAllSessions } from "../../auth/session-version";
import { changePassword, updateName } from "../../auth/users";
import { createTRPCRouter, protectedProcedure, publicProcedure } from "../init";

export const accountRouter = createTRPCRouter({
  me: publicProcedure.query(({ ctx }) => ctx.user),

  updateName: protectedProcedure
    .input(z.object({ name: z.string().trim().max(100, "Name must be at most 100 characters.") }))
    .mutation(({ ctx, input }) => updateName(ctx.db.prisma, ctx.user.id, input.name)),

  changePassword: protectedProcedure
    .input(z.object({ current: z.string().max(1000), next: z.string().max(1000) }))
    .mutation(({ ctx, input }) => changePassword(ctx.db.prisma, ctx.user.id, input.current, input.next)),

  /** Ends every session of the account, on every device, this one included. */
  signOutEverywhere: protectedProcedure.mutation(async ({ ctx }) => {
    await endAllSessions(ctx.db.prisma, ctx.user.id);
    return { ok: true };
  }),
});
