import { z } from "zod";
import { logFirstAdminLine } from "../../auth/log";
import { signUpWithPassword } from "../../auth/users";
import { badRequest } from "../../errors";
import { serverEnv } from "~/env";
import { createTRPCRouter, publicProcedure } from "../init";

export const authRouter = createTRPCRouter({
  /** Creates an email+password account; the client signs in right after. */
  signUp: publicProcedure
    // Only the shape here; signUpWithPassword validates the values and says what is wrong with each.
    .input(z.object({ email: z.string().max(1000), name: z.string().max(1000).optional(), password: z.string().max(1000) }))
    .mutation(async ({ ctx, input }) => {
      if (ctx.user) throw badRequest("You are already signed in.");
      const env = serverEnv();
      const policy = { maxAttempts: env.SIGNUP_MAX_PER_WINDOW, windowMinutes: env.SIGNUP_WINDOW_MINUTES };
      const user = await signUpWithPassword(ctx.db.prisma, input, logFirstAdminLine, { ip: ctx.ip, policy });
      return { email: user.email, role: user.role };
    }),
});
