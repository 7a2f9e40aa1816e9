import { z } from "zod";
import type { PublicUser } from "../../auth/users";
import { FLAG_REASONS, flagPost, MAX_FLAG_NOTE_CHARS, pendingReviewCount, REVIEW_DECISIONS, reviewPost, reviewQueue, setPostHidden } from "../../forum/flags";
import { MAX_REASON_CHARS, moderationLogPage, silenceUser, suspendUser, unsilenceUser, unsuspendUser, userModeration } from "../../forum/moderation";
import type { ForumActor } from "../../forum/permissions";
import { MAX_TRUST_LEVEL, myTrust, setTrustLevel } from "../../forum/trust";
import { adminProcedure, createTRPCRouter, protectedProcedure, roleProcedure } from "../init";

/**
 * The forum's trust and safety (issue 12, item 5): members flag posts; graders and admins review flags, hide posts
 * and silence members; admins suspend members, set trust levels, and read the moderation panel and the audit log.
 * The rules live in server/forum (flags.ts, moderation.ts, trust.ts); this router shapes input and checks roles.
 */

const id = z.string().min(1).max(100);
const reason = z.string().max(MAX_REASON_CHARS).default("");
const graderProcedure = roleProcedure("grader");
const actor = (user: PublicUser): ForumActor => ({ id: user.id, name: user.name ?? user.email.split("@")[0]!, role: user.role });

export const forumModerationRouter = createTRPCRouter({
  /** Your trust level and what the next one asks. */
  myTrust: protectedProcedure.query(({ ctx }) => myTrust(ctx.db.prisma, ctx.user.id)),

  /** Flag a post (trust level 1 and up, once per post): spam, inappropriate, off-topic, or other with a note. */
  flag: protectedProcedure
    .input(z.object({ postId: id, reason: z.enum(FLAG_REASONS), note: z.string().max(MAX_FLAG_NOTE_CHARS).default("") }))
    .mutation(({ ctx, input }) => flagPost(ctx.db.prisma, { postId: input.postId, reason: input.reason, note: input.note, actor: actor(ctx.user) })),

  /** How many posts wait for review (the moderators' badge). */
  pendingCount: graderProcedure.query(({ ctx }) => pendingReviewCount(ctx.db.prisma)),

  /** The review queue: posts with pending flags, the longest waiting first. */
  reviewQueue: graderProcedure
    .input(z.object({ limit: z.number().int().min(1).max(200).default(50) }).default({ limit: 50 }))
    .query(({ ctx, input }) => reviewQueue(ctx.db.prisma, ctx.user, { limit: input.limit })),

  /** Decide a post's pending flags: agree (keep hidden, or delete), disagree (show again), ignore. */
  review: graderProcedure
    .input(z.object({ postId: id, decision: z.enum(REVIEW_DECISIONS), deletePost: z.boolean().default(false), reason }))
    .mutation(({ ctx, input }) => reviewPost(ctx.db.prisma, { ...input, actor: actor(ctx.user) })),

  /** Hide a post pending review, or show a hidden one again. */
  setPostHidden: graderProcedure
    .input(z.object({ postId: id, hidden: z.boolean(), reason }))
    .mutation(({ ctx, input }) => setPostHidden(ctx.db.prisma, { ...input, actor: actor(ctx.user) })),

  silence: graderProcedure
    .input(z.object({ userId: id, until: z.coerce.date(), reason: z.string().max(MAX_REASON_CHARS) }))
    .mutation(({ ctx, input }) => silenceUser(ctx.db.prisma, { ...input, actor: actor(ctx.user) })),

  unsilence: graderProcedure
    .input(z.object({ userId: id, reason }))
    .mutation(({ ctx, input }) => unsilenceUser(ctx.db.prisma, { ...input, actor: actor(ctx.user) })),

  suspend: adminProcedure
    .input(z.object({ userId: id, until: z.coerce.date(), reason: z.string().max(MAX_REASON_CHARS) }))
    .mutation(({ ctx, input }) => suspendUser(ctx.db.prisma, { ...input, actor: actor(ctx.user) })),

  unsuspend: adminProcedure
    .input(z.object({ userId: id, reason }))
    .mutation(({ ctx, input }) => unsuspendUser(ctx.db.prisma, { ...input, actor: actor(ctx.user) })),

  /** Set a member's trust level (0-4), locked there or not. */
  setTrustLevel: adminProcedure
    .input(z.object({ userId: id, level: z.number().int().min(0).max(MAX_TRUST_LEVEL), locked: z.boolean(), reason }))
    .mutation(({ ctx, input }) => setTrustLevel(ctx.db.prisma, { ...input, actor: actor(ctx.user) })),

  /** The moderation panel's data for one member. */
  user: adminProcedure.input(z.object({ userId: id })).query(({ ctx, input }) => userModeration(ctx.db.prisma, input.userId)),

  /** The audit log, newest first, with filters. */
  log: adminProcedure
    .input(
      z
        .object({
          action: z.string().max(100).optional(),
          actor: z.string().max(200).optional(),
          targetType: z.enum(["topic", "post", "user", "flag", "category"]).optional(),
          targetId: id.optional(),
          from: z.coerce.date().optional(),
          to: z.coerce.date().optional(),
          cursor: id.optional(),
          limit: z.number().int().min(1).max(200).default(50),
        })
        .default({ limit: 50 }),
    )
    .query(({ ctx, input }) => moderationLogPage(ctx.db.prisma, input)),
});
