import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { logFirstAdminLine } from "../../auth/log";
import { RateLimitedError } from "../../auth/rate-limit";
import { signUpWithPassword, SignUpError } from "../../auth/users";
import { serverEnv } from "~/env";
import { createTRPCRouter, publicProcedure } from "../init";

export const authRouter = createTRPCRouter({
  /** Creates an email+password account; the client signs in right after. */
  signUp: publicProcedure
    // Only the shape here; signUpWithPassword validates the values and says what is wrong with each.
    .input(z.object({ email: z.string().max(1000), name: z.string().max(1000).optional(), password: z.string().max(1000) }))
    .mutation(async ({ ctx, input }) => {
    if (ctx.user) throw new TRPCError({ code: "BAD_REQUEST", message: "You are already signed in." });
    try {
      const env = serverEnv();
      const policy = { maxAttempts: env.SIGNUP_MAX_PER_WINDOW, windowMinutes: env.SIGNUP_WINDOW_MINUTES };
      const user = await signUpWithPassword(ctx.db.prisma, input, logFirstAdminLine, { ip: ctx.ip, policy });
      return { email: user.email, role: user.role };
    } catch (error) {
      if (error instanceof RateLimitedError) throw new TRPCError({ code: "TOO_MANY_REQUESTS", message: error.message, cause: error });
      if (error instanceof SignUpError) {
        throw new TRPCError({ code: error.field === "email" ? "CONFLICT" : "BAD_REQUEST", message: error.message, cause: error });
      }
      throw error;
    }
  }),
});
