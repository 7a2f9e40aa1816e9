import type { Prisma, PrismaClient, Role } from "@course/db";
import type { Found } from "@course/markdown";
import { forumRateLimitsEnv } from "../../env";
import { formatDuration, formatUtc } from "../../lib/format";
import { DomainError } from "../errors";
import { effectiveTrustLevel, TRUST_LEVEL_NAMES } from "./trust";

/**
 * What a member may post, by trust level (Discourse's new-user limits and rate limits, in one table), and the one
 * check every forum write runs inside its transaction: checkPostAllowed. Refusals are DomainErrors whose message says
 * what the limit is and, for rate limits, when the member can post again (TOO_MANY_REQUESTS, with `retryAfterSeconds`
 * and `retryAt` in the details); content over a level's limits is a BAD_REQUEST; silenced and suspended members are
 * FORBIDDEN.
 */

type Db = PrismaClient | Prisma.TransactionClient;

export interface LevelLimits {
  /** links to other sites in one post (foreign images count here too); null: no limit */
  linksPerPost: number | null;
  /** images in one post (uploaded to the site, or foreign ones shown as links); null: no limit */
  imagesPerPost: number | null;
  /** different members @mentioned in one post */
  mentionsPerPost: number | null;
  /** the least time between two posts (topics or replies) of one member; 0: none */
  secondsBetweenPosts: number;
  /** topics started in any 24 hours; null: no limit */
  topicsPerDay: number | null;
  /** flags raised in any 24 hours; null: no limit (level 0 cannot flag at all) */
  flagsPerDay: number | null;
  /** the same text may not be posted again by the same member within this many minutes; 0: allowed */
  identicalPostMinutes: number;
}

/** Limits for trust levels 0 to 4 (graders and admins count as 4). The README's "Trust and safety" table. */
export const LEVEL_LIMITS: readonly [LevelLimits, LevelLimits, LevelLimits, LevelLimits, LevelLimits] = [
  { linksPerPost: 2, imagesPerPost: 1, mentionsPerPost: 2, secondsBetweenPosts: 30, topicsPerDay: 5, flagsPerDay: 0, identicalPostMinutes: 5 },
  { linksPerPost: null, imagesPerPost: null, mentionsPerPost: 10, secondsBetweenPosts: 10, topicsPerDay: 10, flagsPerDay: 10, identicalPostMinutes: 5 },
  { linksPerPost: null, imagesPerPost: null, mentionsPerPost: 10, secondsBetweenPosts: 5, topicsPerDay: 20, flagsPerDay: 15, identicalPostMinutes: 5 },
  { linksPerPost: null, imagesPerPost: null, mentionsPerPost: 10, secondsBetweenPosts: 5, topicsPerDay: 30, flagsPerDay: 20, identicalPostMinutes: 5 },
  { linksPerPost: null, imagesPerPost: null, mentionsPerPost: 20, secondsBetweenPosts: 0, topicsPerDay: null, flagsPerDay: null, identicalPostMinutes: 0 },
];

/** A new account's first day (accounts younger than `hours`, still at trust level 0): Discourse's first-day caps. */
export const FIRST_DAY = { hours: 24, topics: 3, replies: 10 } as const;

export const limitsFor = (level: number): LevelLimits => LEVEL_LIMITS[Math.max(0, Math.min(4, level))]!;

/** The time-based limits are on unless FORUM_RATE_LIMITS=off (load tests, test sites). */
export const rateLimitsOn = () => forumRateLimitsEnv() === "on";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * "12 seconds", "3 min", "2 h 5 min": how long until a member may act again (rounded up, so they are never told too
 * early), or (`ago`) how long since something happened (rounded down).
 */
function waitText(ms: number, ago = false): string {
  const round = ago ? Math.floor : Math.ceil;
  const seconds = Math.max(1, round(ms / 1000));
  if (seconds < 60) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  return formatDuration(round(seconds / 60) * 60_000);
}

/** A rate limit's refusal: what the limit is, then when the member can act again. */
export function rateLimited(limit: string, what: string, retryAt: Date, now: Date): DomainError {
  const ms = retryAt.getTime() - now.getTime();
  return new DomainError("TOO_MANY_REQUESTS", `${what} You can ${limit === "flags-per-day" ? "flag" : "post"} again in ${waitText(ms)} (at ${formatUtc(retryAt, "second")}).`, {
    limit,
    retryAfterSeconds: Math.max(1, Math.ceil(ms / 1000)),
    retryAt: retryAt.toISOString(),
  });
}

const levelName = (level: number) => `trust level ${level} (${TRUST_LEVEL_NAMES[level] ?? "?"})`;

/** What a post's rendered text holds, as the limits count it: quoted text (someone else's words) does not count. */
export function postContentCounts(found: Pick<Found, "links" | "images" | "mentions" | "quotes">) {
  const own = found.links.filter((l) => !l.quoted);
  const quoted = new Set(found.quotes.map((q) => q.username?.toLowerCase()).filter((u): u is string => Boolean(u)));
  const mentioned = new Set(found.mentions.map((m) => m.username.toLowerCase()).filter((u) => !quoted.has(u)));
  return {
    links: own.length,
    images: found.images.length + own.filter((l) => l.image).length,
    mentions: mentioned.size,
  };
}

/** Refuses a post whose content exceeds the level's limits (links, images, mentions). */
export function checkPostContent(level: number, found: Pick<Found, "links" | "images" | "mentions" | "quotes">): void {
  const limits = limitsFor(level);
  const counts = postContentCounts(found);
  const earn = level === 0 ? " Read and take part a little longer to reach trust level 1, where this limit goes." : "";
  const check = (limit: string, count: number, max: number | null, things: string) => {
    if (max !== null && count > max) {
      throw new DomainError("BAD_REQUEST", `Members at ${levelName(level)} may put at most ${max} ${things} in a post; this one has ${count}.${earn}`, {
        limit,
        max,
        count,
      });
    }
  };
  check("links-per-post", counts.links, limits.linksPerPost, "links to other sites");
  check("images-per-post", counts.images, limits.imagesPerPost, limits.imagesPerPost === 1 ? "image" : "images");
  check("mentions-per-post", counts.mentions, limits.mentionsPerPost, "@mentions");
}

/** The fields of a member the checks need, read fresh inside the caller's transaction. */
const memberSelect = {
  id: true,
  role: true,
  trustLevel: true,
  createdAt: true,
  silencedUntil: true,
  silenceReason: true,
  suspendedUntil: true,
  suspendReason: true,
} as const;

/** Refuses anything written by a suspended or silenced member, saying until when and why. */
export function assertMayWrite(
  member: { silencedUntil: Date | null; silenceReason: string; suspendedUntil: Date | null; suspendReason: string },
  now: Date,
  doing = "post",
): void {
  if (member.suspendedUntil && member.suspendedUntil > now) {
    throw new DomainError(
      "FORBIDDEN",
      `Your account is suspended until ${formatUtc(member.suspendedUntil)} and may not ${doing}.${member.suspendReason ? ` Reason: ${member.suspendReason}` : ""}`,
    );
  }
  if (member.silencedUntil && member.silencedUntil > now) {
    throw new DomainError(
      "FORBIDDEN",
      `You are silenced until ${formatUtc(member.silencedUntil)}: you may read but not ${doing}.${member.silenceReason ? ` Reason: ${member.silenceReason}` : ""}`,
    );
  }
}

async function loadMember(db: Db, userId: string) {
  const member = await db.user.findUnique({ where: { id: userId }, select: memberSelect });
  if (!member) throw new DomainError("UNAUTHORIZED", "Sign in first.");
  return member;
}

// Serialises one member's writes while their limits are checked (two posts sent at once must not both pass "one post
// per 30 seconds"); keyed per user under this namespace, released when the transaction ends.
const POST_LOCK_NAMESPACE = 120_512;

/** Collapses whitespace and case, so a re-post with a changed space is still the same post. */
const sameText = (raw: string) => raw.trim().replace(/\s+/g, " ").toLowerCase();

export interface PostAttempt {
  kind: "topic" | "reply" | "edit";
  topicId?: string;
  /** the post's markdown as it will be stored */
  raw: string;
  /** what packages/markdown found in it (h5's cookPost: `cooked.found`) */
  rendered: { found: Pick<Found, "links" | "images" | "mentions" | "quotes"> };
}

/**
 * May this member write this post now? Call it inside the write's transaction, before the post is inserted (the
 * member's row is locked for the check, so concurrent posts are counted one after the other). Checks, in order:
 * suspension and silence; the level's content limits (links, images, mentions); then, for new topics and replies,
 * the rate limits: a new account's first day, time between posts, topics per day, and the same text again within
 * minutes. Edits are checked for suspension, silence and content only. Returns the member's effective level.
 */
export async function checkPostAllowed(db: Db, user: { id: string; role?: Role }, attempt: PostAttempt, now = new Date()): Promise<{ trustLevel: number }> {
  const member = await loadMember(db, user.id);
  assertMayWrite(member, now);
  const level = effectiveTrustLevel(member);
  checkPostContent(level, attempt.rendered.found);
  if (attempt.kind === "edit" || !rateLimitsOn()) return { trustLevel: level };
  const limits = limitsFor(level);
  if (limits.secondsBetweenPosts === 0 && limits.topicsPerDay === null && limits.identicalPostMinutes === 0) return { trustLevel: level };

  await db.$executeRaw`SELECT pg_advisory_xact_lock(${POST_LOCK_NAMESPACE}::int, hashtext(${member.id}))`;

  const accountAgeMs = now.getTime() - member.createdAt.getTime();
  if (level === 0 && accountAgeMs < FIRST_DAY.hours * HOUR_MS) {
    const dayEnds = new Date(member.createdAt.getTime() + FIRST_DAY.hours * HOUR_MS);
    if (attempt.kind === "topic") {
      const topics = await db.forumTopic.count({ where: { authorId: member.id, createdAt: { gte: member.createdAt } } });
      if (topics >= FIRST_DAY.topics) {
        throw rateLimited("first-day-topics", `New accounts may start at most ${FIRST_DAY.topics} topics in their first day.`, dayEnds, now);
      }
    } else {
      const replies = await db.forumPost.count({ where: { authorId: member.id, kind: "regular", number: { gt: 1 }, createdAt: { gte: member.createdAt } } });
      if (replies >= FIRST_DAY.replies) {
        throw rateLimited("first-day-replies", `New accounts may write at most ${FIRST_DAY.replies} replies in their first day.`, dayEnds, now);
      }
    }
  }

  if (limits.secondsBetweenPosts > 0) {
    const last = await db.forumPost.findFirst({ where: { authorId: member.id, kind: "regular" }, orderBy: { createdAt: "desc" }, select: { createdAt: true } });
    const next = last ? new Date(last.createdAt.getTime() + limits.secondsBetweenPosts * 1000) : null;
    if (next && next > now) {
      throw rateLimited(
        "seconds-between-posts",
        `You are posting too quickly: members at ${levelName(level)} wait ${limits.secondsBetweenPosts} seconds between posts.`,
        next,
        now,
      );
    }
  }

  if (attempt.kind === "topic" && limits.topicsPerDay !== null) {
    const recent = await db.forumTopic.findMany({
      where: { authorId: member.id, createdAt: { gt: new Date(now.getTime() - DAY_MS) } },
      orderBy: { createdAt: "desc" },
      take: limits.topicsPerDay,
      select: { createdAt: true },
    });
    if (recent.length >= limits.topicsPerDay) {
      const oldest = recent[recent.length - 1]!.createdAt;
      throw rateLimited("topics-per-day", `Members at ${levelName(level)} may start at most ${limits.topicsPerDay} topics in 24 hours.`, new Date(oldest.getTime() + DAY_MS), now);
    }
  }

  if (limits.identicalPostMinutes > 0) {
    const windowMs = limits.identicalPostMinutes * 60_000;
    const recent = await db.forumPost.findMany({
      where: { authorId: member.id, kind: "regular", createdAt: { gt: new Date(now.getTime() - windowMs) } },
      orderBy: { createdAt: "desc" },
      take: 50,
      select: { raw: true, createdAt: true },
    });
    const text = sameText(attempt.raw);
    const same = recent.find((p) => sameText(p.raw) === text);
    if (same) {
      throw rateLimited(
        "identical-post",
        `You posted the same text ${waitText(now.getTime() - same.createdAt.getTime(), true)} ago; write something different, or wait ${limits.identicalPostMinutes} minutes to post it again.`,
        new Date(same.createdAt.getTime() + windowMs),
        now,
      );
    }
  }
  return { trustLevel: level };
}

/** May this member flag a post now? Level 1 and up, not silenced or suspended, within the level's flags per day. */
export async function checkFlagAllowed(db: Db, userId: string, now = new Date()): Promise<{ trustLevel: number }> {
  const member = await loadMember(db, userId);
  assertMayWrite(member, now, "flag posts");
  const level = effectiveTrustLevel(member);
  const limits = limitsFor(level);
  if (level < 1) {
    throw new DomainError("FORBIDDEN", "New members (trust level 0) cannot flag posts yet: read and take part a little longer to reach trust level 1.");
  }
  if (limits.flagsPerDay !== null && rateLimitsOn()) {
    const recent = await db.forumFlag.findMany({
      where: { userId: member.id, createdAt: { gt: new Date(now.getTime() - DAY_MS) } },
      orderBy: { createdAt: "desc" },
      take: limits.flagsPerDay,
      select: { createdAt: true },
    });
    if (recent.length >= limits.flagsPerDay) {
      const oldest = recent[recent.length - 1]!.createdAt;
      throw rateLimited("flags-per-day", `Members at ${levelName(level)} may flag at most ${limits.flagsPerDay} posts in 24 hours.`, new Date(oldest.getTime() + DAY_MS), now);
    }
  }
  return { trustLevel: level };
}
