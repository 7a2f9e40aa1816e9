import type { Role } from "@course/db";
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError } from "zod";
import type { Database } from "@course/db";
import { hasRole } from "../auth/roles";
import type { PublicUser } from "../auth/users";

export interface Context {
  db: Database;
  user: PublicUser | null;
  ip: string | undefined;
}

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    return {
      ...shape,
      data: { ...shape.data, zodError: error.cause instanceof ZodError ? error.cause.flatten() : null },
    };
  },
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure;

/** Signed in, with at least `role` (roles are ordered student < grader < admin). */
export function roleProcedure(role: Role) {
  return t.procedure.use(({ ctx, next }) => {
    if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first." });
    if (!hasRole(ctx.user.role, role)) throw new TRPCError({ code: "FORBIDDEN", message: `This needs the ${role} role.` });
    return next({ ctx: { ...ctx, user: ctx.user } });
  });
}

export const protectedProcedure = roleProcedure("student");
export const adminProcedure = roleProcedure("admin");
