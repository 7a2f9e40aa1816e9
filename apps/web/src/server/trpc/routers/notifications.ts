import { z } from "zod";
import { listNotifications, markRead, unreadCount } from "../../notifications/inbox";
import { notificationKindSchema } from "../../notifications/kinds";
import { preferencesOf, setPreference } from "../../notifications/preferences";
import { EMAIL_DELIVERIES, emailSettingsOf, setEmailDelivery } from "../../email/settings";
import { createTRPCRouter, protectedProcedure } from "../init";

/** The signed-in user's own notifications and preferences only. */
export const notificationsRouter = createTRPCRouter({
  unreadCount: protectedProcedure.query(({ ctx }) => unreadCount(ctx.db.prisma, ctx.user.id)),
  list: protectedProcedure.query(({ ctx }) => listNotifications(ctx.db.prisma, ctx.user.id)),
  markRead: protectedProcedure
    .input(
      z.object({
        ids: z.array(z.string().min(1).max(100)).max(200).optional(),
        /** A page of the site the user opened: its notifications are read. */
        link: z.string().startsWith("/", "A link is a path on this site, like /homework/submissions/<id>.").max(500).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => ({ marked: await markRead(ctx.db.prisma, ctx.user.id, { ids: input.ids, link: input.link }) })),
  /** Each kind this user can get, with its channels (their choice or the kind's defaults). */
  preferences: protectedProcedure.query(({ ctx }) => preferencesOf(ctx.db.prisma, ctx.user)),
  setPreference: protectedProcedure
    .input(
      z
        .object({ kind: notificationKindSchema, inApp: z.boolean().optional(), email: z.boolean().optional() })
        .refine((v) => v.inApp !== undefined || v.email !== undefined, "Say which channel to change: inApp, email or both."),
    )
    .mutation(({ ctx, input }) => setPreference(ctx.db.prisma, ctx.user, input.kind, { inApp: input.inApp, email: input.email })),
  /** Whether the site sends email at all, and when this user's emails go out (immediately, a daily digest, never). */
  emailSettings: protectedProcedure.query(({ ctx }) => emailSettingsOf(ctx.db.prisma, ctx.user)),
  setEmailDelivery: protectedProcedure
    .input(z.object({ delivery: z.enum(EMAIL_DELIVERIES, { error: "Choose immediate, daily or off." }) }))
    .mutation(async ({ ctx, input }) => ({ delivery: await setEmailDelivery(ctx.db.prisma, ctx.user.id, input.delivery) })),
});
