import { z } from "zod";
import { ROLES } from "../../auth/roles";
import { listUsers, setRole } from "../../auth/users";
import { adminProcedure, createTRPCRouter } from "../init";

export const adminRouter = createTRPCRouter({
  users: adminProcedure
    .input(z.object({ search: z.string().trim().max(200).optional() }).optional())
    .query(({ ctx, input }) => listUsers(ctx.db.prisma, input?.search)),

  setRole: adminProcedure
    .input(z.object({ email: z.string(), role: z.enum(ROLES) }))
    .mutation(({ ctx, input }) => setRole(ctx.db.prisma, input.email, input.role)),
});
