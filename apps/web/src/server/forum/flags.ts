import { Prisma, type PrismaClient, type Role } from "@course/db";
import { DomainError } from "../errors";
import { notify } from "../notifications/notify";
import { REVISION_TRANSACTION } from "../revisions/documents";
import { htmlToText } from "../wiki/render";
import { writeTransaction } from "../page-cache";
import { checkFlagAllowed } from "./limits";
import { logModeration } from "./moderation-log";
import { postPath } from "./paths";
import { isModerator, type ForumActor } from "./permissions";
import { deletePost } from "./posts";
import { publishPostUpdated } from "./live";
import { syncPostSearch } from "./search";
import { effectiveTrustLevel, MAX_TRUST_LEVEL } from "./trust";
import { displayName } from "./users";

/**
 * Flags and the review queue (Discourse's). Members from trust level 1 flag a post once each, for a reason; when the
 * pending flags on a post weigh HIDE_WEIGHT (several trusted members, or one grader or admin), the post is hidden
 * ("hidden pending review": its author and moderators still read it) until a grader or admin decides: agree (it stays
 * hidden, or is deleted, and counts against its author), disagree (it is shown again) or ignore (the flags are closed,
 * the post stays as it is). Every decision is logged.
 */

type Tx = Prisma.TransactionClient;

export const FLAG_REASONS = ["spam", "inappropriate", "off-topic", "other"] as const;
export type FlagReason = (typeof FLAG_REASONS)[number];
export const FLAG_REASON_LABELS: Record<FlagReason, string> = {
  spam: "Spam",
  inappropriate: "Inappropriate",
  "off-topic": "Off-topic",
  other: "Something else",
};
export const MAX_FLAG_NOTE_CHARS = 500;

/** Pending flags hide a post once their weights add up to this. */
export const HIDE_WEIGHT = 3;

/** A flag's weight: a member at level 1 or 2 weighs 1, a regular or leader (3-4) 1.5, a grader or admin the whole. */
export function flagWeight(flagger: { role: Role; trustLevel: number }): number {
  if (isModerator(flagger.role)) return HIDE_WEIGHT;
  return effectiveTrustLevel(flagger) >= 3 ? 1.5 : 1;
}

export const REVIEW_DECISIONS = ["agree", "disagree", "ignore"] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

const postForFlag = {
  id: true,
  number: true,
  kind: true,
  authorId: true,
  deletedAt: true,
  hiddenAt: true,
  cooked: true,
  author: { select: { role: true } },
  topic: { select: { id: true, slug: true, title: true, unlisted: true, deletedAt: true, category: { select: { lessonSlug: true } } } },
} as const;

async function hideIn(tx: Tx, post: Prisma.ForumPostGetPayload<{ select: typeof postForFlag }>, reason: string, at: Date) {
  const changed = await tx.forumPost.updateMany({ where: { id: post.id, hiddenAt: null }, data: { hiddenAt: at, hiddenReason: reason } });
  if (changed.count === 0) return false;
  await syncPostSearch(tx, post.topic, { ...post, hiddenAt: at }, "");
  await publishPostUpdated(tx, { topicId: post.topic.id, postId: post.id, number: post.number }, "hidden");
  return true;
}

async function unhideIn(tx: Tx, post: Prisma.ForumPostGetPayload<{ select: typeof postForFlag }>) {
  const changed = await tx.forumPost.updateMany({ where: { id: post.id, hiddenAt: { not: null } }, data: { hiddenAt: null, hiddenReason: "" } });
  if (changed.count === 0) return false;
  await syncPostSearch(tx, post.topic, { ...post, hiddenAt: null }, htmlToText(post.cooked));
  await publishPostUpdated(tx, { topicId: post.topic.id, postId: post.id, number: post.number }, "restored");
  return true;
}

async function tellAuthor(tx: Tx, post: Prisma.ForumPostGetPayload<{ select: typeof postForFlag }>, title: string, body: string, key: string) {
  if (!post.authorId) return;
  await notify(tx, post.authorId, "forum-moderation", { title, body, link: postPath(post.topic, post.number) }, { dedupeKey: key });
}

/**
 * A member flags a post. Refused for level 0, silenced or suspended members, past the level's flags per day, for
 * their own post, twice for one post, and for posts already hidden or deleted. Hides the post once the pending
 * flags weigh enough. Returns whether this flag hid it.
 */
export async function flagPost(
  prisma: PrismaClient,
  input: { postId: string; reason: FlagReason; note?: string; actor: ForumActor },
): Promise<{ flagId: string; hidden: boolean }> {
  const note = (input.note ?? "").trim();
  if (!FLAG_REASONS.includes(input.reason)) throw new DomainError("BAD_REQUEST", `A flag's reason is one of ${FLAG_REASONS.join(", ")}.`);
  if (input.reason === "other" && !note) throw new DomainError("BAD_REQUEST", "Say what is wrong with the post: a flag for something else needs a note.");
  if (note.length > MAX_FLAG_NOTE_CHARS) throw new DomainError("BAD_REQUEST", `A flag's note may hold at most ${MAX_FLAG_NOTE_CHARS} characters.`);
  try {
    return await writeTransaction(prisma, async (tx) => {
      const now = new Date();
      await checkFlagAllowed(tx, input.actor.id, now);
      const post = await tx.forumPost.findUnique({ where: { id: input.postId }, select: postForFlag });
      if (!post || post.deletedAt || post.topic.deletedAt) throw new DomainError("NOT_FOUND", "There is no such post.");
      if (post.kind !== "regular") throw new DomainError("BAD_REQUEST", "Only members' posts can be flagged.");
      if (post.authorId === input.actor.id) throw new DomainError("BAD_REQUEST", "You cannot flag your own post: edit or delete it instead.");
      if (post.hiddenAt) throw new DomainError("CONFLICT", "This post is already hidden pending review.");
      const flag = await tx.forumFlag.create({ data: { postId: post.id, userId: input.actor.id, reason: input.reason, note }, select: { id: true } });

      // Posts of graders and admins are reviewed, never hidden by members' flags.
      const authorIsModerator = isModerator(post.author?.role);
      const pending = await tx.forumFlag.findMany({ where: { postId: post.id, status: "pending" }, select: { reason: true, user: { select: { role: true, trustLevel: true } } } });
      const weight = pending.reduce((sum, f) => sum + flagWeight(f.user), 0);
      let hidden = false;
      if (weight >= HIDE_WEIGHT && (!authorIsModerator || isModerator(input.actor.role))) {
        const reason = topReason(pending.map((f) => f.reason));
        hidden = await hideIn(tx, post, `Flagged as ${FLAG_REASON_LABELS[reason].toLowerCase()}`, now);
        if (hidden) {
          await tellAuthor(
            tx,
            post,
            `Your post in "${post.topic.title}" was hidden pending review`,
            `Members flagged it as ${FLAG_REASON_LABELS[reason].toLowerCase()}. A moderator will review it; until then only you and the moderators can read it. You can still edit it.`,
            `forum-hidden:${post.id}:${now.getTime()}`,
          );
        }
      }
      return { flagId: flag.id, hidden };
    }, REVISION_TRANSACTION);
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new DomainError("CONFLICT", "You have already flagged this post.");
    }
    throw error;
  }
}

/** The most common reason among flags (ties: the order of FLAG_REASONS). */
function topReason(reasons: string[]): FlagReason {
  let best: FlagReason = "other";
  let bestCount = 0;
  for (const reason of FLAG_REASONS) {
    const count = reasons.filter((r) => r === reason).length;
    if (count > bestCount) [best, bestCount] = [reason, count];
  }
  return best;
}

export interface ReviewItem {
  post: {
    id: string;
    number: number;
    url: string;
    cooked: string;
    hidden: boolean;
    hiddenAt: Date | null;
    deleted: boolean;
    createdAt: Date;
    author: { id: string | null; name: string; username: string | null; trustLevel: number; role: Role | null };
  };
  topic: { id: string; title: string };
  flags: { id: string; reason: FlagReason; note: string; createdAt: Date; by: { id: string; name: string; trustLevel: number; role: Role } }[];
  weight: number;
  firstFlaggedAt: Date;
}

/**
 * The review queue: posts with pending flags, the longest waiting first, each with its flags. Graders and admins.
 */
export async function reviewQueue(prisma: PrismaClient | Tx, viewer: { role: Role }, options: { limit?: number } = {}): Promise<{ items: ReviewItem[]; pendingPosts: number }> {
  if (!isModerator(viewer.role)) throw new DomainError("FORBIDDEN", "Only graders and admins review flags.");
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
  const groups = await prisma.forumFlag.groupBy({ by: ["postId"], where: { status: "pending" }, _min: { createdAt: true }, orderBy: { _min: { createdAt: "asc" } } });
  const page = groups.slice(0, limit);
  const postIds = page.map((g) => g.postId);
  const [posts, flags] = await Promise.all([
    prisma.forumPost.findMany({
      where: { id: { in: postIds } },
      select: {
        id: true,
        number: true,
        cooked: true,
        hiddenAt: true,
        deletedAt: true,
        createdAt: true,
        author: { select: { id: true, name: true, username: true, trustLevel: true, role: true } },
        topic: { select: { id: true, slug: true, title: true } },
      },
    }),
    prisma.forumFlag.findMany({
      where: { postId: { in: postIds }, status: "pending" },
      orderBy: { createdAt: "asc" },
      select: { id: true, postId: true, reason: true, note: true, createdAt: true, user: { select: { id: true, name: true, username: true, email: true, trustLevel: true, role: true } } },
    }),
  ]);
  const byId = new Map(posts.map((p) => [p.id, p]));
  const items = page.flatMap((g): ReviewItem[] => {
    const post = byId.get(g.postId);
    if (!post) return [];
    const mine = flags.filter((f) => f.postId === post.id);
    return [
      {
        post: {
          id: post.id,
          number: post.number,
          url: postPath(post.topic, post.number),
          cooked: post.cooked,
          hidden: post.hiddenAt !== null,
          hiddenAt: post.hiddenAt,
          deleted: post.deletedAt !== null,
          createdAt: post.createdAt,
          author: post.author
            ? { id: post.author.id, name: displayName(post.author), username: post.author.username, trustLevel: post.author.trustLevel, role: post.author.role }
            : { id: null, name: "Course platform", username: null, trustLevel: MAX_TRUST_LEVEL, role: null },
        },
        topic: { id: post.topic.id, title: post.topic.title },
        flags: mine.map((f) => ({
          id: f.id,
          reason: f.reason as FlagReason,
          note: f.note,
          createdAt: f.createdAt,
          by: { id: f.user.id, name: displayName(f.user), trustLevel: f.user.trustLevel, role: f.user.role },
        })),
        weight: mine.reduce((sum, f) => sum + flagWeight(f.user), 0),
        firstFlaggedAt: g._min.createdAt ?? post.createdAt,
      },
    ];
  });
  return { items, pendingPosts: groups.length };
}

/** How many posts wait for review (the moderators' badge). */
export async function pendingReviewCount(prisma: PrismaClient | Tx): Promise<number> {
  const groups = await prisma.forumFlag.groupBy({ by: ["postId"], where: { status: "pending" } });
  return groups.length;
}

/**
 * A grader or admin decides a post's pending flags:
 * - agree: the flags were right. The post stays hidden (or is hidden now), or with `deletePost` is deleted; the
 *   author's "flags agreed" grows by one (it holds back their trust level) and they are told.
 * - disagree: the post is fine; it is shown again.
 * - ignore: the flags are closed without a verdict; the post stays as it is (a moderator can still hide or show it).
 * Logged as "flag.agree" / "flag.disagree" / "flag.ignore" on the post.
 */
export async function reviewPost(
  prisma: PrismaClient,
  input: { postId: string; decision: ReviewDecision; deletePost?: boolean; reason?: string; actor: ForumActor },
): Promise<{ decision: ReviewDecision; flags: number; hidden: boolean; deleted: boolean }> {
  if (!isModerator(input.actor.role)) throw new DomainError("FORBIDDEN", "Only graders and admins review flags.");
  const reason = (input.reason ?? "").trim();
  const pending = await prisma.forumFlag.count({ where: { postId: input.postId, status: "pending" } });
  if (pending === 0) {
    const exists = await prisma.forumPost.count({ where: { id: input.postId } });
    throw new DomainError(exists ? "CONFLICT" : "NOT_FOUND", exists ? "This post has no pending flags: someone already reviewed them." : "There is no such post.");
  }
  const deleting = input.decision === "agree" && input.deletePost === true;
  if (deleting) {
    // h5's delete path (search, counters, its own log line); the first post stands for its topic.
    const current = await prisma.forumPost.findUnique({ where: { id: input.postId }, select: { deletedAt: true } });
    if (current && !current.deletedAt) await deletePost(prisma, { postId: input.postId, actor: input.actor, reason: reason || "Flags agreed" });
  }
  return writeTransaction(prisma, async (tx) => {
    const now = new Date();
    const post = await tx.forumPost.findUnique({ where: { id: input.postId }, select: postForFlag });
    if (!post) throw new DomainError("NOT_FOUND", "There is no such post.");
    const status = { agree: "agreed", disagree: "disagreed", ignore: "ignored" }[input.decision];
    const flags = await tx.forumFlag.findMany({ where: { postId: post.id, status: "pending" }, select: { id: true, reason: true } });
    const handled = await tx.forumFlag.updateMany({ where: { id: { in: flags.map((f) => f.id) }, status: "pending" }, data: { status, handledById: input.actor.id, handledAt: now } });
    if (handled.count === 0) throw new DomainError("CONFLICT", "This post has no pending flags: someone already reviewed them.");
    let hidden = post.hiddenAt !== null;
    if (input.decision === "agree") {
      if (!hidden && !post.deletedAt) hidden = await hideIn(tx, post, `Flagged as ${FLAG_REASON_LABELS[topReason(flags.map((f) => f.reason))].toLowerCase()}`, now);
      if (post.authorId) {
        await tx.forumUserStat.upsert({ where: { userId: post.authorId }, create: { userId: post.authorId, flagsAgreed: 1 }, update: { flagsAgreed: { increment: 1 } } });
        await tellAuthor(
          tx,
          post,
          deleting ? `A moderator removed your post in "${post.topic.title}"` : `A moderator agreed with the flags on your post in "${post.topic.title}"`,
          `${deleting ? "It was deleted" : "It stays hidden"} (flagged as ${[...new Set(flags.map((f) => f.reason))].join(", ")}).${reason ? ` ${reason}` : ""}`,
          `forum-agreed:${post.id}:${now.getTime()}`,
        );
      }
    } else if (input.decision === "disagree" && hidden) {
      await unhideIn(tx, post);
      hidden = false;
    }
    await logModeration(tx, {
      actor: input.actor,
      action: `flag.${input.decision}`,
      targetType: "post",
      targetId: post.id,
      reason,
      detail: { flags: handled.count, reasons: [...new Set(flags.map((f) => f.reason))], deleted: deleting, hidden, topicId: post.topic.id, number: post.number, authorId: post.authorId },
    });
    return { decision: input.decision, flags: handled.count, hidden, deleted: post.deletedAt !== null };
  }, REVISION_TRANSACTION);
}

/** A grader or admin hides a post (pending review) or shows a hidden one again, flags or not. Logged. */
export async function setPostHidden(prisma: PrismaClient, input: { postId: string; hidden: boolean; reason?: string; actor: ForumActor }): Promise<{ changed: boolean }> {
  if (!isModerator(input.actor.role)) throw new DomainError("FORBIDDEN", "Only graders and admins hide and show posts.");
  const reason = (input.reason ?? "").trim();
  return writeTransaction(prisma, async (tx) => {
    const post = await tx.forumPost.findUnique({ where: { id: input.postId }, select: postForFlag });
    if (!post) throw new DomainError("NOT_FOUND", "There is no such post.");
    if (post.kind !== "regular") throw new DomainError("BAD_REQUEST", "Only members' posts can be hidden.");
    const now = new Date();
    const changed = input.hidden ? await hideIn(tx, post, reason || "Hidden by a moderator", now) : await unhideIn(tx, post);
    if (!changed) return { changed: false };
    await logModeration(tx, { actor: input.actor, action: input.hidden ? "post.hide" : "post.unhide", targetType: "post", targetId: post.id, reason, detail: { topicId: post.topic.id, number: post.number, authorId: post.authorId } });
    if (input.hidden) {
      await tellAuthor(tx, post, `A moderator hid your post in "${post.topic.title}"`, reason || "Only you and the moderators can read it now.", `forum-hidden:${post.id}:${now.getTime()}`);
    }
    return { changed: true };
  }, REVISION_TRANSACTION);
}

/** The flags on one member's posts and the flags they raised (the moderation panel). */
export async function flagsOfUser(prisma: PrismaClient | Tx, userId: string, take = 100) {
  const flagSelect = {
    id: true,
    reason: true,
    note: true,
    status: true,
    createdAt: true,
    handledAt: true,
    handledBy: { select: { name: true, username: true, email: true } },
    user: { select: { name: true, username: true, email: true } },
    post: { select: { id: true, number: true, topic: { select: { id: true, slug: true, title: true } } } },
  } as const;
  const shape = (f: Prisma.ForumFlagGetPayload<{ select: typeof flagSelect }>) => ({
    id: f.id,
    reason: f.reason,
    note: f.note,
    status: f.status,
    createdAt: f.createdAt,
    handledAt: f.handledAt,
    handledBy: f.handledBy ? displayName(f.handledBy) : null,
    by: displayName(f.user),
    post: { id: f.post.id, url: postPath(f.post.topic, f.post.number), title: f.post.topic.title, number: f.post.number },
  });
  const [against, raised] = await Promise.all([
    prisma.forumFlag.findMany({ where: { post: { authorId: userId } }, orderBy: { createdAt: "desc" }, take, select: flagSelect }),
    prisma.forumFlag.findMany({ where: { userId }, orderBy: { createdAt: "desc" }, take, select: flagSelect }),
  ]);
  return { against: against.map(shape), raised: raised.map(shape) };
}
