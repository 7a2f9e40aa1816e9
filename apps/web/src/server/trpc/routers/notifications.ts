import { z } from "zod";
import { listNotifications, markRead, unreadCount } from "../../homework/notifications";
import { createTRPCRouter, protectedProcedure } from "../init";

/** The signed-in user's own notifications only. */
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
});
