import { SLUG } from "@course/content";
import { z } from "zod";
import type { PublicUser } from "../../auth/users";
import { bookmarkPost, MAX_BOOKMARK_NOTE_CHARS, myBookmarks, removeBookmark } from "../../forum/bookmarks";
import { deleteDraft, draftKeySchema, getDraft, listDrafts, MAX_DRAFT_CHARS, MAX_DRAFT_TITLE_CHARS, saveDraft } from "../../forum/drafts";
import { likePost, likersOf, unlikePost } from "../../forum/likes";
import { MENTION_PREFIX, mentionSuggestions } from "../../forum/mentions";
import type { ForumActor, ForumViewer } from "../../forum/permissions";
import { markSolved, unmarkSolved } from "../../forum/solved";
import { categoryLevels, notificationLevelSchema, setCategoryLevel, setTopicLevel } from "../../forum/tracking";
import { firstUnreadPostNumber, markRead, topicReadStates, unreadByCategory } from "../../forum/unread";
import { postStates, topicConversation } from "../../forum/viewer-state";
import { createTRPCRouter, protectedProcedure, publicProcedure } from "../init";

/**
 * The forum's conversation (issue 12, item 3): likes, bookmarks, solved answers, mentions, watching levels, unread
 * tracking and server-side drafts. Every write is the signed-in member's own; who may mark an answer (the topic's
 * author, graders, admins) is checked in server/forum/solved.
 */

const id = z.string().min(1).max(100);
const postNumber = z.number().int().min(0).max(100_000_000);
const categorySlug = z.string().regex(SLUG, "Expected a category slug like general.").max(100);

const viewer = (user: PublicUser | null): ForumViewer => ({ id: user?.id ?? null, role: user?.role ?? null });
const actor = (user: PublicUser): ForumActor => ({ id: user.id, name: user.name ?? user.email.split("@")[0]!, role: user.role });

export const forumConversationRouter = createTRPCRouter({
  like: protectedProcedure.input(z.object({ postId: id })).mutation(({ ctx, input }) => likePost(ctx.db.prisma, { postId: input.postId, actor: actor(ctx.user) })),
  unlike: protectedProcedure.input(z.object({ postId: id })).mutation(({ ctx, input }) => unlikePost(ctx.db.prisma, { postId: input.postId, actor: actor(ctx.user) })),
  /** Who liked a post (the like button's title). */
  likers: publicProcedure.input(z.object({ postId: id })).query(({ ctx, input }) => likersOf(ctx.db.prisma, input.postId, { role: ctx.user?.role ?? null })),

  bookmark: protectedProcedure
    .input(z.object({ postId: id, note: z.string().max(MAX_BOOKMARK_NOTE_CHARS, `A bookmark's note may hold at most ${MAX_BOOKMARK_NOTE_CHARS} characters.`).optional() }))
    .mutation(({ ctx, input }) => bookmarkPost(ctx.db.prisma, { postId: input.postId, user: { id: ctx.user.id, role: ctx.user.role }, note: input.note })),
  removeBookmark: protectedProcedure.input(z.object({ postId: id })).mutation(({ ctx, input }) => removeBookmark(ctx.db.prisma, { postId: input.postId, userId: ctx.user.id })),
  bookmarks: protectedProcedure.query(({ ctx }) => myBookmarks(ctx.db.prisma, { id: ctx.user.id, role: ctx.user.role })),

  /** The topic's author, graders and admins mark a reply as the answer (solvable categories only). */
  markSolved: protectedProcedure.input(z.object({ postId: id })).mutation(({ ctx, input }) => markSolved(ctx.db.prisma, { postId: input.postId, actor: actor(ctx.user) })),
  unmarkSolved: protectedProcedure.input(z.object({ topicId: id })).mutation(({ ctx, input }) => unmarkSolved(ctx.db.prisma, { topicId: input.topicId, actor: actor(ctx.user) })),

  /** The composer's `@` completion. */
  mentionSuggest: protectedProcedure
    .input(z.object({ prefix: z.string().regex(MENTION_PREFIX, "A username holds letters, digits, _, . and -."), topicId: id.optional() }))
    .query(({ ctx, input }) => mentionSuggestions(ctx.db.prisma, { prefix: input.prefix, topicId: input.topicId, viewerId: ctx.user.id })),

  setTopicLevel: protectedProcedure
    .input(z.object({ topicId: id, level: notificationLevelSchema }))
    .mutation(({ ctx, input }) => setTopicLevel(ctx.db.prisma, { userId: ctx.user.id, topicId: input.topicId, level: input.level })),
  setCategoryLevel: protectedProcedure
    .input(z.object({ category: categorySlug, level: notificationLevelSchema }))
    .mutation(({ ctx, input }) => setCategoryLevel(ctx.db.prisma, { userId: ctx.user.id, categorySlug: input.category, level: input.level })),
  categoryLevels: protectedProcedure.query(({ ctx }) => categoryLevels(ctx.db.prisma, ctx.user.id)),

  /** The topic page, as posts scroll into view (batched): read up to a number, and seconds spent reading. */
  markRead: protectedProcedure
    .input(z.object({ topicId: id, upToNumber: postNumber, seconds: z.number().min(0).max(3600).default(0) }))
    .mutation(({ ctx, input }) => markRead(ctx.db.prisma, { userId: ctx.user.id, topicId: input.topicId, upToNumber: input.upToNumber, seconds: input.seconds })),
  firstUnread: publicProcedure.input(z.object({ topicId: id })).query(({ ctx, input }) => firstUnreadPostNumber(ctx.db.prisma, ctx.user?.id ?? null, input.topicId)),
  /** /forum's unread and new counts, by category slug. */
  unreadCounts: protectedProcedure.query(({ ctx }) => unreadByCategory(ctx.db.prisma, { id: ctx.user.id })),
  /** A topic list's read state per topic (unread counts, new). */
  topicStates: protectedProcedure
    .input(z.object({ topicIds: z.array(id).max(100) }))
    .query(({ ctx, input }) => topicReadStates(ctx.db.prisma, ctx.user.id, input.topicIds)),

  /** What the topic page shows for its reader beside the posts: answer, level, where to open, the like limit. */
  topic: publicProcedure.input(z.object({ topicId: id })).query(({ ctx, input }) => topicConversation(ctx.db.prisma, input.topicId, viewer(ctx.user))),
  /** The reader's likes and bookmarks among the posts of a window. */
  postStates: protectedProcedure
    .input(z.object({ postIds: z.array(id).max(100) }))
    .query(({ ctx, input }) => postStates(ctx.db.prisma, ctx.user.id, input.postIds)),

  draft: protectedProcedure.input(z.object({ key: draftKeySchema })).query(({ ctx, input }) => getDraft(ctx.db.prisma, ctx.user.id, input.key)),
  drafts: protectedProcedure.query(({ ctx }) => listDrafts(ctx.db.prisma, ctx.user.id)),
  saveDraft: protectedProcedure
    .input(
      z.object({
        key: draftKeySchema,
        title: z.string().max(MAX_DRAFT_TITLE_CHARS).default(""),
        body: z.string().max(MAX_DRAFT_CHARS, `A draft may hold at most ${MAX_DRAFT_CHARS} characters.`),
        replyToNumber: postNumber.min(1).nullable().default(null),
        categoryId: id.nullable().default(null),
        sequence: z.number().int().min(0),
      }),
    )
    .mutation(({ ctx, input }) => saveDraft(ctx.db.prisma, { userId: ctx.user.id, ...input })),
  deleteDraft: protectedProcedure
    .input(z.object({ key: draftKeySchema, sequence: z.number().int().min(0).optional() }))
    .mutation(({ ctx, input }) => deleteDraft(ctx.db.prisma, { userId: ctx.user.id, key: input.key, sequence: input.sequence })),
});
