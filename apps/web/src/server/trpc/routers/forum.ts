import { SLUG } from "@course/content";
import { z } from "zod";
import type { PublicUser } from "../../auth/users";
import { getCourse } from "../../content";
import { DomainError } from "../../errors";
import { cookPost } from "../../forum/cook";
import { lessonThreadSummary } from "../../forum/lesson-threads";
import type { ForumActor, ForumViewer } from "../../forum/permissions";
import { deletePost, editPost, MAX_POST_CHARS, replyToTopic, restorePost } from "../../forum/posts";
import {
  categoriesOverview,
  listTopics,
  MAX_WINDOW,
  postDiff,
  postForEdit,
  postHistory,
  postsWindow,
  TOPIC_FILTERS,
  viewPost,
  viewTopic,
  type WindowAnchor,
} from "../../forum/read";
import { promotePostToNotes } from "../../forum/promote";
import { discussWikiPage } from "../../forum/wiki-discussion";
import { createTopic, deleteTopic, MAX_TITLE_CHARS, restoreTopic, setTopicState, TOPIC_STATES, updateTopic } from "../../forum/topics";
import { MAX_SUMMARY_CHARS } from "../../revisions/documents";
import { createTRPCRouter, protectedProcedure, publicProcedure, roleProcedure } from "../init";

/**
 * The forum (Discourse's model). Anyone reads; signed-in members start topics, reply, and edit and delete their own
 * posts (wiki posts: see canEditWikiPost); graders and admins moderate. Each rule is checked in server/forum, which
 * knows the topic and the post; this router only shapes input.
 */

const id = z.string().min(1).max(100);
const postNumber = z.number().int().min(1).max(100_000_000);
const body = z.string().max(MAX_POST_CHARS, `A post may hold at most ${MAX_POST_CHARS} characters.`);
const title = z.string().max(MAX_TITLE_CHARS + 50);
const reason = z.string().max(MAX_SUMMARY_CHARS).default("");
const categorySlug = z.string().regex(SLUG, "Expected a category slug like general.").max(100);

const viewer = (user: PublicUser | null): ForumViewer => ({ id: user?.id ?? null, role: user?.role ?? null, trustLevel: user?.trustLevel ?? 0 });
const actor = (user: PublicUser): ForumActor => ({ id: user.id, name: user.name ?? user.email.split("@")[0]!, role: user.role });

/** Exactly one of after, before, around or date says where the window is. */
const windowInput = z
  .object({
    topicId: id,
    after: z.number().int().min(0).optional(),
    before: postNumber.optional(),
    around: postNumber.optional(),
    date: z.coerce.date().optional(),
    limit: z.number().int().min(1).max(MAX_WINDOW).default(20),
  })
  .refine((i) => [i.after, i.before, i.around, i.date].filter((v) => v !== undefined).length <= 1, "Give one of after, before, around or date.");

function anchorOf(i: z.infer<typeof windowInput>): WindowAnchor {
  if (i.after !== undefined) return { after: i.after };
  if (i.before !== undefined) return { before: i.before };
  if (i.date !== undefined) return { date: i.date };
  return { around: i.around ?? 1 };
}

export const forumRouter = createTRPCRouter({
  /** /forum: categories with topic counts and their latest topic. */
  categories: publicProcedure.query(({ ctx }) => categoriesOverview(ctx.db.prisma, viewer(ctx.user))),

  /** A category's topics (or all), pinned first, then by latest activity; `before` pages on. */
  topics: publicProcedure
    .input(z.object({ category: categorySlug.optional(), before: z.coerce.date().optional(), limit: z.number().int().min(1).max(100).default(30), filter: z.enum(TOPIC_FILTERS).optional() }))
    .query(({ ctx, input }) => listTopics(ctx.db.prisma, { categorySlug: input.category, before: input.before, limit: input.limit, filter: input.filter }, viewer(ctx.user))),

  /** A topic and the window of posts around `post` (default the first). */
  topic: publicProcedure.input(z.object({ id, post: postNumber.optional() })).query(({ ctx, input }) => viewTopic(ctx.db.prisma, input.id, viewer(ctx.user), { post: input.post })),

  /** More of a topic as the reader scrolls or jumps: ~20 posts after, before or around a number, or from a date. */
  posts: publicProcedure.input(windowInput).query(({ ctx, input }) => postsWindow(ctx.db.prisma, { topicId: input.topicId, anchor: anchorOf(input), limit: input.limit }, viewer(ctx.user))),

  /** One post as the topic page shows it (after an edit). */
  post: publicProcedure.input(z.object({ id })).query(({ ctx, input }) => viewPost(ctx.db.prisma, input.id, viewer(ctx.user))),

  /** The composer's live preview: the same pipeline (and resolvers) as a saved post. */
  preview: protectedProcedure.input(z.object({ body, category: categorySlug.optional() })).mutation(async ({ ctx, input }) => {
    const category = input.category ? await ctx.db.prisma.forumCategory.findUnique({ where: { slug: input.category }, select: { lessonSlug: true } }) : null;
    const cooked = await cookPost(ctx.db.prisma, input.body, { lessonSlug: category?.lessonSlug ?? null });
    return { html: cooked.html };
  }),

  createTopic: protectedProcedure
    .input(z.object({ category: categorySlug, title, body }))
    .mutation(({ ctx, input }) => createTopic(ctx.db.prisma, { categorySlug: input.category, title: input.title, body: input.body, author: actor(ctx.user) })),

  /** The first post of a wiki page's "Discuss" tab, which creates the page's topic (or replies there once it exists). */
  discussWikiPage: protectedProcedure
    .input(z.object({ title: z.string().min(1).max(300), body }))
    .mutation(async ({ ctx, input }) => discussWikiPage(ctx.db.prisma, { title: input.title, body: input.body, author: actor(ctx.user), lessons: (await getCourse()).lessons })),

  /** "Add to lesson notes": a lesson category's post appended to the lesson's notes page (graders, admins, its author). */
  promoteToNotes: protectedProcedure
    .input(z.object({ postId: id }))
    .mutation(async ({ ctx, input }) => promotePostToNotes(ctx.db.prisma, { postId: input.postId, actor: actor(ctx.user), lessons: (await getCourse()).lessons })),

  reply: protectedProcedure
    .input(z.object({ topicId: id, body, replyTo: postNumber.optional() }))
    .mutation(({ ctx, input }) => replyToTopic(ctx.db.prisma, { topicId: input.topicId, body: input.body, replyToNumber: input.replyTo ?? null, author: actor(ctx.user) })),

  /** The current text and its revision number, for the post editor. */
  forEdit: protectedProcedure.input(z.object({ id })).query(({ ctx, input }) => postForEdit(ctx.db.prisma, input.id, viewer(ctx.user))),

  edit: protectedProcedure
    .input(z.object({ id, body, baseRevision: z.number().int().min(0), summary: reason }))
    .mutation(({ ctx, input }) => editPost(ctx.db.prisma, { postId: input.id, body: input.body, baseRevision: input.baseRevision, summary: input.summary, actor: actor(ctx.user) })),

  delete: protectedProcedure.input(z.object({ id, reason })).mutation(({ ctx, input }) => deletePost(ctx.db.prisma, { postId: input.id, actor: actor(ctx.user), reason: input.reason })),
  restore: protectedProcedure.input(z.object({ id, reason })).mutation(({ ctx, input }) => restorePost(ctx.db.prisma, { postId: input.id, actor: actor(ctx.user), reason: input.reason })),

  /** A post's revisions (everyone who can read the post; moderators every post). */
  history: publicProcedure.input(z.object({ id })).query(({ ctx, input }) => postHistory(ctx.db.prisma, input.id, viewer(ctx.user))),
  diff: publicProcedure
    .input(z.object({ id, from: z.number().int().min(0), to: z.number().int().min(0) }))
    .query(({ ctx, input }) => postDiff(ctx.db.prisma, input.id, input.from, input.to, viewer(ctx.user))),

  /** Title (the author or a moderator) or category (moderators). */
  updateTopic: protectedProcedure
    .input(z.object({ id, title: title.optional(), category: categorySlug.optional(), reason }))
    .mutation(({ ctx, input }) => updateTopic(ctx.db.prisma, { topicId: input.id, title: input.title, categorySlug: input.category, actor: actor(ctx.user), reason: input.reason })),

  setState: roleProcedure("grader")
    .input(z.object({ id, state: z.enum(TOPIC_STATES), on: z.boolean(), reason }))
    .mutation(({ ctx, input }) => setTopicState(ctx.db.prisma, { topicId: input.id, state: input.state, on: input.on, actor: actor(ctx.user), reason: input.reason })),

  /** Delete or restore a whole topic: moderators, or its author while nobody replied (checked in server/forum). */
  deleteTopic: protectedProcedure.input(z.object({ id, reason })).mutation(({ ctx, input }) => deleteTopic(ctx.db.prisma, { topicId: input.id, actor: actor(ctx.user), reason: input.reason })),
  restoreTopic: protectedProcedure.input(z.object({ id, reason })).mutation(({ ctx, input }) => restoreTopic(ctx.db.prisma, { topicId: input.id, actor: actor(ctx.user), reason: input.reason })),

  /** The lesson page's box: its thread's reply count and newest replies. */
  lessonThread: publicProcedure.input(z.object({ slug: z.string().regex(SLUG, "Expected a lesson slug like lesson-1.").max(100) })).query(async ({ ctx, input }) => {
    const lesson = (await getCourse()).lessons.find((l) => l.slug === input.slug);
    if (!lesson) throw new DomainError("NOT_FOUND", `There is no lesson "${input.slug}".`);
    return lessonThreadSummary(ctx.db.prisma, lesson.forumThread);
  }),
});
