import { z } from "zod";
import { ROLES } from "../../auth/roles";
import { listUsers, setRole } from "../../auth/users";
import { retryEmail } from "../../email/queue";
import { adminProcedure, createTRPCRouter } from "../init";

export const adminRouter = createTRPCRouter({
  users: adminProcedure
    .input(z.object({ search: z.string().trim().max(200).optional() }).optional())
    .query(({ ctx, input }) => listUsers(ctx.db.prisma, input?.search)),

  setRole: adminProcedure
    .input(z.object({ email: z.string(), role: z.enum(ROLES) }))
    .mutation(({ ctx, input }) => setRole(ctx.db.prisma, input.email, input.role)),

  /** A failed email sent again (admin/email). */
  retryEmail: adminProcedure.input(z.object({ id: z.string().min(1).max(64) })).mutation(({ ctx, input }) => retryEmail(ctx.db.prisma, input.id)),
});
