import type { Prisma, PrismaClient } from "@course/db";
import { DomainError } from "../errors";
import { htmlToText } from "../wiki/render";
import { postPath } from "./paths";
import { isModerator, type ForumViewer } from "./permissions";
import { displayName } from "./users";

/** Bookmarks: a member's private list of posts, each with an optional note (/account/bookmarks). */

type Db = PrismaClient | Prisma.TransactionClient;

export const MAX_BOOKMARK_NOTE_CHARS = 500;
export const MAX_BOOKMARKS = 2_000;

async function readablePost(db: Db, postId: string, viewer: { id: string; role: ForumViewer["role"] }) {
  const post = await db.forumPost.findUnique({ where: { id: postId }, select: { id: true, authorId: true, deletedAt: true, hiddenAt: true, topic: { select: { deletedAt: true } } } });
  const own = post?.authorId === viewer.id;
  if (!post || ((post.topic.deletedAt || ((post.deletedAt || post.hiddenAt) && !own)) && !isModerator(viewer.role))) {
    throw new DomainError("NOT_FOUND", "There is no such post.");
  }
  return post;
}

/** Bookmarks a post, or changes the note of a bookmark the member already has. */
export async function bookmarkPost(prisma: PrismaClient, input: { postId: string; user: { id: string; role: ForumViewer["role"] }; note?: string }) {
  const note = (input.note ?? "").trim();
  if (note.length > MAX_BOOKMARK_NOTE_CHARS) throw new DomainError("BAD_REQUEST", `A bookmark's note may hold at most ${MAX_BOOKMARK_NOTE_CHARS} characters.`);
  const post = await readablePost(prisma, input.postId, input.user);
  const key = { userId_postId: { userId: input.user.id, postId: post.id } };
  const existing = await prisma.forumBookmark.findUnique({ where: key, select: { postId: true } });
  if (!existing && (await prisma.forumBookmark.count({ where: { userId: input.user.id } })) >= MAX_BOOKMARKS) {
    throw new DomainError("BAD_REQUEST", `You have ${MAX_BOOKMARKS} bookmarks, the most one may keep. Remove some first.`);
  }
  const row = await prisma.forumBookmark.upsert({
    where: key,
    create: { userId: input.user.id, postId: post.id, note },
    update: input.note === undefined ? {} : { note },
    select: { postId: true, note: true, createdAt: true },
  });
  return { bookmarked: true, ...row };
}

export async function removeBookmark(prisma: PrismaClient, input: { postId: string; userId: string }) {
  const { count } = await prisma.forumBookmark.deleteMany({ where: { userId: input.userId, postId: input.postId } });
  return { bookmarked: false, removed: count > 0 };
}

export interface BookmarkView {
  postId: string;
  note: string;
  createdAt: Date;
  topic: string;
  postNumber: number;
  author: string;
  url: string;
  excerpt: string;
}

/**
 * The member's bookmarks, newest first. A post they can no longer read (deleted, hidden, its topic deleted) keeps
 * its bookmark but is left out until it comes back.
 */
export async function myBookmarks(db: Db, viewer: { id: string; role: ForumViewer["role"] }, options: { limit?: number } = {}): Promise<BookmarkView[]> {
  const moderator = isModerator(viewer.role);
  const rows = await db.forumBookmark.findMany({
    where: {
      userId: viewer.id,
      ...(moderator ? {} : { post: { topic: { deletedAt: null }, OR: [{ deletedAt: null, hiddenAt: null }, { authorId: viewer.id }] } }),
    },
    orderBy: { createdAt: "desc" },
    take: Math.min(options.limit ?? 500, MAX_BOOKMARKS),
    select: {
      postId: true,
      note: true,
      createdAt: true,
      post: { select: { number: true, cooked: true, author: { select: { name: true, username: true } }, topic: { select: { id: true, slug: true, title: true } } } },
    },
  });
  return rows.map((b) => {
    const text = htmlToText(b.post.cooked);
    return {
      postId: b.postId,
      note: b.note,
      createdAt: b.createdAt,
      topic: b.post.topic.title,
      postNumber: b.post.number,
      author: displayName(b.post.author),
      url: postPath(b.post.topic, b.post.number),
      excerpt: text.length > 200 ? `${text.slice(0, 197)}…` : text,
    };
  });
}
