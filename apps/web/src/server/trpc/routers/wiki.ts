import { z } from "zod";
import type { PublicUser } from "../../auth/users";
import { MAX_REVISION_CHARS, MAX_SUMMARY_CHARS } from "../../revisions/documents";
import { paceNewAccount } from "../../wiki/pace";
import {
  deletePage,
  movePage,
  PROTECTION_LEVELS,
  protectPage,
  restorePage,
  revertPage,
  savePage,
  setWatch,
  undoEdit,
  type WikiActor,
} from "../../wiki/pages";
import {
  allPages,
  changes,
  pageDiff,
  pageForEdit,
  pageHistory,
  pageInfo,
  previewPage,
  suggestTitles,
  viewPage,
  watchlistPages,
  whatLinksHere,
  wikiLog,
  type Viewer,
} from "../../wiki/read";
import { createTRPCRouter, protectedProcedure, publicProcedure, roleProcedure } from "../init";

/**
 * The wiki (MediaWiki's model). Anyone reads; signed-in users edit, watch, move, revert and undo; protected pages
 * only graders or admins (checked in server/wiki, which knows the page); graders protect; admins delete and restore.
 */

const title = z.string().trim().min(1, "A page title cannot be empty.").max(300);
const revision = z.number().int().min(0).max(10_000_000);
const reason = z.string().max(MAX_SUMMARY_CHARS).default("");
const body = z.string().max(MAX_REVISION_CHARS, `A page may hold at most ${MAX_REVISION_CHARS} characters.`);

const viewer = (user: PublicUser | null): Viewer => ({ id: user?.id ?? null, role: user?.role ?? null });
const actor = (user: PublicUser): WikiActor => ({ id: user.id, name: user.name ?? user.email.split("@")[0]!, role: user.role });

export const wikiRouter = createTRPCRouter({
  /** A page as readers see it (rendered, with its table of contents), or an old revision of it. */
  page: publicProcedure
    .input(z.object({ title, revision: revision.optional() }))
    .query(({ ctx, input }) => viewPage(ctx.db.prisma, input.title, viewer(ctx.user), { revision: input.revision })),

  /** The current text and its revision number, for the editor. */
  forEdit: publicProcedure.input(z.object({ title })).query(({ ctx, input }) => pageForEdit(ctx.db.prisma, input.title, viewer(ctx.user))),

  /** The editor's live preview: the same pipeline, red links and (given the page's title) time links as the page. */
  preview: protectedProcedure.input(z.object({ body, title: title.optional() })).mutation(({ ctx, input }) => previewPage(ctx.db.prisma, input.body, input.title)),

  /** Saves a page (creating it when new): saved, merged, unchanged, or a conflict holding the text sent. */
  save: protectedProcedure
    .input(z.object({ title, body, summary: reason, minor: z.boolean().default(false), baseRevision: revision }))
    .mutation(async ({ ctx, input }) => {
      await paceNewAccount(ctx.db.prisma, ctx.user);
      return savePage(ctx.db.prisma, { title: input.title, body: input.body, summary: input.summary, minor: input.minor, baseRevision: input.baseRevision, author: actor(ctx.user) });
    }),

  /** The editor's `[[` completion: live pages whose title starts with the prefix, redirects marked. */
  suggest: publicProcedure
    .input(z.object({ prefix: z.string().min(1).max(100) }))
    .query(({ ctx, input }) => suggestTitles(ctx.db.prisma, input.prefix)),

  history: publicProcedure.input(z.object({ title })).query(({ ctx, input }) => pageHistory(ctx.db.prisma, input.title, viewer(ctx.user))),
  diff: publicProcedure
    .input(z.object({ title, from: revision, to: revision }))
    .query(({ ctx, input }) => pageDiff(ctx.db.prisma, input.title, input.from, input.to, viewer(ctx.user))),
  info: publicProcedure.input(z.object({ title })).query(({ ctx, input }) => pageInfo(ctx.db.prisma, input.title, viewer(ctx.user))),
  whatLinksHere: publicProcedure.input(z.object({ title })).query(({ ctx, input }) => whatLinksHere(ctx.db.prisma, input.title, viewer(ctx.user))),
  allPages: publicProcedure.query(({ ctx }) => allPages(ctx.db.prisma)),
  log: publicProcedure.query(({ ctx }) => wikiLog(ctx.db.prisma)),

  /** Special:RecentChanges, optionally one author's (by account name) and without minor edits. */
  recentChanges: publicProcedure
    .input(z.object({ user: z.string().trim().max(200).optional(), hideMinor: z.boolean().default(false), limit: z.number().int().min(1).max(500).default(100) }))
    .query(async ({ ctx, input }) => {
      return changes(ctx.db.prisma, viewer(ctx.user), { ...(input.user ? { byName: input.user } : {}), hideMinor: input.hideMinor, limit: input.limit });
    }),

  /** Special:Watchlist: recent edits of the pages the user watches, and those pages. */
  watchlist: protectedProcedure.query(async ({ ctx }) => ({
    changes: await changes(ctx.db.prisma, viewer(ctx.user), { watchedBy: ctx.user.id }),
    pages: await watchlistPages(ctx.db.prisma, ctx.user.id),
  })),
  watch: protectedProcedure
    .input(z.object({ title, watch: z.boolean() }))
    .mutation(({ ctx, input }) => setWatch(ctx.db.prisma, { title: input.title, userId: ctx.user.id, watch: input.watch })),

  revert: protectedProcedure
    .input(z.object({ title, revision: revision.min(1) }))
    .mutation(({ ctx, input }) => revertPage(ctx.db.prisma, { title: input.title, number: input.revision, author: actor(ctx.user) })),
  undo: protectedProcedure
    .input(z.object({ title, revision: revision.min(1) }))
    .mutation(({ ctx, input }) => undoEdit(ctx.db.prisma, { title: input.title, number: input.revision, author: actor(ctx.user) })),
  move: protectedProcedure
    .input(z.object({ title, to: title, reason }))
    .mutation(async ({ ctx, input }) => {
      await paceNewAccount(ctx.db.prisma, ctx.user);
      return movePage(ctx.db.prisma, { from: input.title, to: input.to, reason: input.reason, actor: actor(ctx.user) });
    }),
  protect: roleProcedure("grader")
    .input(z.object({ title, level: z.enum(PROTECTION_LEVELS), reason }))
    .mutation(({ ctx, input }) => protectPage(ctx.db.prisma, { title: input.title, level: input.level, reason: input.reason, actor: actor(ctx.user) })),
  delete: roleProcedure("admin")
    .input(z.object({ title, reason }))
    .mutation(({ ctx, input }) => deletePage(ctx.db.prisma, { title: input.title, reason: input.reason, actor: actor(ctx.user) })),
  restore: roleProcedure("admin")
    .input(z.object({ title, reason }))
    .mutation(({ ctx, input }) => restorePage(ctx.db.prisma, { title: input.title, reason: input.reason, actor: actor(ctx.user) })),
});

