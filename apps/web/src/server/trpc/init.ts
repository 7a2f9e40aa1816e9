import type { Role } from "@course/db";
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError } from "zod";
import type { Database } from "@course/db";
import { hasRole } from "../auth/roles";
import { DomainError } from "../errors";
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
      data: {
        ...shape.data,
        zodError: error.cause instanceof ZodError ? error.cause.flatten() : null,
        details: error.cause instanceof DomainError ? (error.cause.details ?? null) : null,
      },
    };
  },
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/** The one place a server module's DomainError becomes a tRPC error (same code and message; details in the formatter). */
const domainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof DomainError) {
    const cause = result.error.cause;
    throw new TRPCError({ code: cause.code, message: cause.message, cause });
  }
  return result;
});

export const publicProcedure = t.procedure.use(domainErrors);

/** Signed in, with at least `role` (roles are ordered student < grader < admin). */
export function roleProcedure(role: Role) {
  return publicProcedure.use(({ ctx, next }) => {
    if (!ctx.user) throw new DomainError("UNAUTHORIZED", "Sign in first.");
    if (!hasRole(ctx.user.role, role)) throw new DomainError("FORBIDDEN", `This needs the ${role} role.`);
    return next({ ctx: { ...ctx, user: ctx.user } });
  });
}

export const protectedProcedure = roleProcedure("student");
export const adminProcedure = roleProcedure("admin");
