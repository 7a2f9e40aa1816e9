import type { Prisma, PrismaClient, Role } from "@course/db";
import { hasRole } from "../auth/roles";
import { DomainError } from "../errors";
import { assertMayWrite } from "./limits";
import { canEditWikiPost } from "./trust";

/**
 * Who may do what in the forum, in one module: the write paths call these, and the checks of trust levels and rate
 * limits hook in here (`checkWrite`), so every write path gets them at once.
 */

/** Someone writing: a signed-in user. `name` is what the forum shows. */
export interface ForumActor {
  id: string;
  name: string;
  role: Role;
}

/** Someone reading: `id` and `role` null for an anonymous visitor. `trustLevel`: their forum trust level (0 if absent). */
export interface ForumViewer {
  id: string | null;
  role: Role | null;
  trustLevel?: number | null;
}

type Db = PrismaClient | Prisma.TransactionClient;

/** Graders and admins moderate: topic states, other people's posts, deleted posts' text and history. */
export function isModerator(role: Role | null | undefined): boolean {
  return role !== null && role !== undefined && hasRole(role, "grader");
}

/** May this user edit a wiki post (the first post of a lesson thread) they did not write? From trust level 1 (trust.ts). */
export { canEditWikiPost };

/** May the viewer edit this post (its text, through a new revision)? */
export function canEditPost(
  viewer: ForumViewer,
  post: { authorId: string | null; wiki: boolean; deletedAt: Date | null },
  topic: { archivedAt: Date | null; deletedAt: Date | null },
): boolean {
  if (viewer.id === null || viewer.role === null) return false;
  if (isModerator(viewer.role)) return true;
  if (post.deletedAt || topic.archivedAt || topic.deletedAt) return false;
  return post.authorId === viewer.id || (post.wiki && canEditWikiPost(viewer));
}

/** May the viewer delete this post? Its author (not the first post of a topic others answered), or a moderator. */
export function canDeletePost(viewer: ForumViewer, post: { authorId: string | null; number: number; deletedAt: Date | null }, topic: { archivedAt: Date | null; replyCount: number }): boolean {
  if (viewer.id === null || post.deletedAt) return false;
  if (isModerator(viewer.role)) return true;
  if (topic.archivedAt || post.authorId !== viewer.id) return false;
  return post.number > 1 || topic.replyCount === 0;
}

/** May the viewer restore this deleted post? A moderator, or its author when they deleted it themselves. */
export function canRestorePost(viewer: ForumViewer, post: { authorId: string | null; deletedAt: Date | null; deletedById: string | null }): boolean {
  if (viewer.id === null || !post.deletedAt) return false;
  return isModerator(viewer.role) || (post.authorId === viewer.id && post.deletedById === viewer.id);
}

/** May the viewer reply in this topic? Closed topics take replies from moderators only; archived and deleted ones none. */
export function canReply(viewer: ForumViewer, topic: { closedAt: Date | null; archivedAt: Date | null; deletedAt: Date | null }): boolean {
  if (viewer.id === null || topic.archivedAt || topic.deletedAt) return false;
  return !topic.closedAt || isModerator(viewer.role);
}

export type WriteAction = "create-topic" | "reply" | "edit";

/**
 * Every forum write passes here first, before its text is rendered: a silenced or suspended member may not write.
 * Trust levels and rate limits are checked by checkPostAllowed (limits.ts) inside the write's transaction.
 */
export async function checkWrite(db: Db, actor: ForumActor, _write: { action: WriteAction; body: string; topicId?: string }): Promise<void> {
  const user = await db.user.findUnique({ where: { id: actor.id }, select: { silencedUntil: true, silenceReason: true, suspendedUntil: true, suspendReason: true } });
  if (!user) throw new DomainError("UNAUTHORIZED", "Sign in first.");
  // The cheap early refusal, before the text is rendered; checkPostAllowed (limits.ts) runs the whole check in the
  // write's transaction.
  assertMayWrite(user, new Date());
}
