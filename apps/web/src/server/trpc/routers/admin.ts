import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { ROLES } from "../../auth/roles";
import { setRole } from "../../auth/users";
import { adminProcedure, createTRPCRouter } from "../init";

export const adminRouter = createTRPCRouter({
  users: adminProcedure
    .input(z.object({ search: z.string().trim().max(200).optional() }).optional())
    .query(async ({ ctx, input }) => {
      const search = input?.search;
      return ctx.db.prisma.user.findMany({
        where: search
          ? { OR: [{ email: { contains: search, mode: "insensitive" } }, { name: { contains: search, mode: "insensitive" } }] }
          : undefined,
        orderBy: { createdAt: "asc" },
        select: { id: true, email: true, name: true, role: true, createdAt: true },
        take: 500,
      });
    }),

  setRole: adminProcedure
    .input(z.object({ email: z.string(), role: z.enum(ROLES) }))
    .mutation(async ({ ctx, input }) => {
      try {
        return await setRole(ctx.db.prisma, input.email, input.role);
      } catch (error) {
        throw new TRPCError({ code: "BAD_REQUEST", message: (error as Error).message, cause: error });
      }
    }),
});
