import type { Prisma, PrismaClient, Role } from "@course/db";
import { hasRole } from "../auth/roles";
import { DomainError } from "../errors";
import { notify } from "../notifications/notify";
import { logModeration } from "./moderation-log";
import { forumPath, userPath } from "./paths";

/**
 * Forum trust levels (Discourse's 0-4), earned from course activity: reading the forum, watching the lessons, coming
 * back on several days, writing, and likes. Levels rise by themselves (refreshTrustLevel, called on the write paths
 * and on visits) and never fall by themselves: lowering a level, or holding it where it is, is an admin's decision
 * (setTrustLevel, logged). Level 4 is only ever given by an admin. Graders and admins count as level 4 everywhere
 * a level limits something (effectiveTrustLevel).
 */

type Db = PrismaClient | Prisma.TransactionClient;

export const TRUST_LEVEL_NAMES = ["new", "basic", "member", "regular", "leader"] as const;
export const MAX_TRUST_LEVEL = 4;
/** The highest level reached automatically; level 4 is given by admins. */
export const MAX_EARNED_LEVEL = 3;

/** What trust is earned from; every value comes from ForumUserStat, LessonProgress or the account. */
export interface TrustActivity {
  /** whole days since the account was created */
  accountDays: number;
  /** days (UTC) the member visited the forum or opened a lesson */
  daysVisited: number;
  topicsEntered: number;
  postsRead: number;
  /** minutes reading the forum plus minutes of lesson video watched (saved playback positions) */
  learningMinutes: number;
  /** posts written, topics' first posts included */
  postsWritten: number;
  likesGiven: number;
  likesReceived: number;
  /** flags on the member's posts that a moderator agreed with: they count against the member */
  flagsAgreed: number;
}

export interface TrustRequirement {
  key: keyof TrustActivity;
  label: string;
  /** the least (or, for `kind: "max"`, the most) allowed for levels 1, 2 and 3; null: no condition at that level */
  levels: readonly [number | null, number | null, number | null];
  kind: "min" | "max";
}

/**
 * The one table of what each level asks (Discourse's defaults, with lesson watching counted as time spent learning).
 * A level needs every condition of its column, and the level below it. Documented in the README ("Trust and safety").
 */
export const TRUST_REQUIREMENTS: readonly TrustRequirement[] = [
  { key: "accountDays", label: "days since joining", levels: [0, 3, 30], kind: "min" },
  { key: "daysVisited", label: "days visited", levels: [1, 10, 30], kind: "min" },
  { key: "topicsEntered", label: "topics entered", levels: [5, 20, 50], kind: "min" },
  { key: "postsRead", label: "posts read", levels: [30, 100, 300], kind: "min" },
  { key: "learningMinutes", label: "minutes reading the forum or watching lessons", levels: [10, 60, 300], kind: "min" },
  { key: "postsWritten", label: "posts written", levels: [null, 3, 10], kind: "min" },
  { key: "likesGiven", label: "likes given", levels: [null, 1, 20], kind: "min" },
  { key: "likesReceived", label: "likes received", levels: [null, 1, 20], kind: "min" },
  { key: "flagsAgreed", label: "flags against your posts upheld by moderators", levels: [null, 2, 0], kind: "max" },
];

/** Who is being limited: graders and admins are level 4 whatever their stored level. */
export function effectiveTrustLevel(user: { role: Role | null; trustLevel?: number | null }): number {
  if (user.role && hasRole(user.role, "grader")) return MAX_TRUST_LEVEL;
  return Math.max(0, Math.min(MAX_TRUST_LEVEL, user.trustLevel ?? 0));
}

/** Editing a wiki post (the first post of a lesson thread) someone else wrote: members from trust level 1. */
export const WIKI_EDIT_TRUST_LEVEL = 1;
/** Flagging a post for the review queue: members from trust level 1. */
export const FLAG_TRUST_LEVEL = 1;

export function canEditWikiPost(user: { id: string | null; role: Role | null; trustLevel?: number | null } | null): boolean {
  return user !== null && user.id !== null && user.role !== null && effectiveTrustLevel(user) >= WIKI_EDIT_TRUST_LEVEL;
}

export function canFlag(user: { id: string | null; role: Role | null; trustLevel?: number | null } | null): boolean {
  return user !== null && user.id !== null && user.role !== null && effectiveTrustLevel(user) >= FLAG_TRUST_LEVEL;
}

/** Does the activity meet a requirement at a level (1-3)? */
function meets(requirement: TrustRequirement, activity: TrustActivity, level: 1 | 2 | 3): boolean {
  const bound = requirement.levels[level - 1];
  if (bound === null || bound === undefined) return true;
  const value = activity[requirement.key];
  return requirement.kind === "min" ? value >= bound : value <= bound;
}

/** The highest level 0-3 the activity earns (each level also needs the ones below). */
export function earnedTrustLevel(activity: TrustActivity): number {
  let level = 0;
  for (const next of [1, 2, 3] as const) {
    if (!TRUST_REQUIREMENTS.every((r) => meets(r, activity, next))) break;
    level = next;
  }
  return level;
}

export interface TrustProgressRow {
  label: string;
  have: number;
  need: number;
  kind: "min" | "max";
  met: boolean;
}

/** What the next level asks and how far the member is (for their profile and the moderation panel); null at 3 and up. */
export function trustProgress(activity: TrustActivity, currentLevel: number): { level: number; rows: TrustProgressRow[] } | null {
  if (currentLevel >= MAX_EARNED_LEVEL) return null;
  const level = (currentLevel + 1) as 1 | 2 | 3;
  const rows = TRUST_REQUIREMENTS.flatMap((r) => {
    const need = r.levels[level - 1];
    if (need === null || need === undefined) return [];
    return [{ label: r.label, have: activity[r.key], need, kind: r.kind, met: meets(r, activity, level) }];
  });
  return { level, rows };
}

const DAY_MS = 86_400_000;

/** A member's activity as trust levels count it. */
export async function trustActivity(db: Db, userId: string, now = new Date()): Promise<TrustActivity> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { createdAt: true } });
  if (!user) throw new DomainError("NOT_FOUND", "There is no such user.");
  const stat = await db.forumUserStat.findUnique({ where: { userId } });
  const watched = await db.lessonProgress.aggregate({ where: { userId }, _sum: { positionSeconds: true } });
  const learningSeconds = (stat?.readSeconds ?? 0) + (watched._sum.positionSeconds ?? 0);
  return {
    accountDays: Math.max(0, Math.floor((now.getTime() - user.createdAt.getTime()) / DAY_MS)),
    daysVisited: stat?.daysVisited ?? 0,
    topicsEntered: stat?.topicsEntered ?? 0,
    postsRead: stat?.postsRead ?? 0,
    learningMinutes: Math.floor(learningSeconds / 60),
    postsWritten: stat?.postCount ?? 0,
    likesGiven: stat?.likesGiven ?? 0,
    likesReceived: stat?.likesReceived ?? 0,
    flagsAgreed: stat?.flagsAgreed ?? 0,
  };
}

/**
 * Promotes the member to the level their activity earns, if that is higher than their level now: never lowers it,
 * never touches a level an admin locked, never reaches 4 by itself. Cheap when there is nothing to do (one read).
 * Call it where activity grows: after a post, a like received, reading, a visit.
 */
export async function refreshTrustLevel(db: Db, userId: string, now = new Date()): Promise<{ level: number; promotedFrom: number | null }> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { trustLevel: true, trustLevelLocked: true } });
  if (!user) return { level: 0, promotedFrom: null };
  if (user.trustLevelLocked || user.trustLevel >= MAX_EARNED_LEVEL) return { level: user.trustLevel, promotedFrom: null };
  const earned = earnedTrustLevel(await trustActivity(db, userId, now));
  if (earned <= user.trustLevel) return { level: user.trustLevel, promotedFrom: null };
  // Only from the level read above and while unlocked: an admin's change meanwhile wins.
  const changed = await db.user.updateMany({ where: { id: userId, trustLevel: user.trustLevel, trustLevelLocked: false }, data: { trustLevel: earned } });
  if (!changed.count) return { level: user.trustLevel, promotedFrom: null };
  const { username } = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { username: true } });
  await notify(db, userId, "forum-trust-level", {
    title: `Your forum trust level is now ${earned} ("${TRUST_LEVEL_NAMES[earned]}")`,
    body: LEVEL_UNLOCKS[earned] ?? "",
    link: username ? userPath(username) : forumPath,
  });
  return { level: earned, promotedFrom: user.trustLevel };
}

/** What reaching a level brings, for the promotion's notification (the limits themselves are in limits.ts). */
const LEVEL_UNLOCKS: readonly string[] = [
  "",
  "You can now edit wiki posts, flag posts, and post more links, images and mentions.",
  "You can now give more likes a day and post with fewer limits.",
  "You can now give even more likes a day; your flags weigh as a regular's.",
];

const utcDay = (at: Date) => new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));

/**
 * Counts a visit (a forum page or a lesson opened by a signed-in member): the first one of each UTC day adds a day
 * visited. Then refreshes the member's level.
 */
export async function recordVisit(db: Db, userId: string, at = new Date()): Promise<void> {
  const day = utcDay(at);
  await db.forumUserStat.upsert({ where: { userId }, create: { userId, daysVisited: 1, lastVisitDay: day }, update: {} });
  // A conditional update, so two visits at once count the day once.
  await db.forumUserStat.updateMany({
    where: { userId, OR: [{ lastVisitDay: null }, { lastVisitDay: { lt: day } }] },
    data: { daysVisited: { increment: 1 }, lastVisitDay: day },
  });
  await refreshTrustLevel(db, userId, at);
}

/**
 * Counts reading (Discourse's topic timings): topics entered for the first time, posts newly read and seconds spent
 * reading. The caller that tracks how far a member has read (unread tracking) computes the increments; a visit is
 * counted too. Then refreshes the member's level.
 */
export async function recordReading(db: Db, userId: string, read: { topicsEntered?: number; postsRead?: number; seconds?: number }, at = new Date()): Promise<void> {
  const clamp = (n: number | undefined, max: number) => Math.max(0, Math.min(max, Math.floor(n ?? 0)));
  const topicsEntered = clamp(read.topicsEntered, 1000);
  const postsRead = clamp(read.postsRead, 10_000);
  // A browser reports time in small slices; a day's worth in one report is a lie.
  const seconds = clamp(read.seconds, 3600);
  await db.forumUserStat.upsert({
    where: { userId },
    create: { userId, topicsEntered, postsRead, readSeconds: seconds },
    update: { topicsEntered: { increment: topicsEntered }, postsRead: { increment: postsRead }, readSeconds: { increment: seconds } },
  });
  await recordVisit(db, userId, at);
}

/**
 * An admin sets a member's level (0-4), and whether it is locked there (automatic promotion then leaves it alone).
 * Logged as "user.trust-level". Unlocking lets promotion catch up at once.
 */
export async function setTrustLevel(
  prisma: PrismaClient,
  input: { userId: string; level: number; locked: boolean; reason?: string; actor: { id: string; name: string; role: Role } },
): Promise<{ level: number; locked: boolean }> {
  if (!hasRole(input.actor.role, "admin")) throw new DomainError("FORBIDDEN", "Only admins may set trust levels.");
  if (!Number.isInteger(input.level) || input.level < 0 || input.level > MAX_TRUST_LEVEL) {
    throw new DomainError("BAD_REQUEST", `A trust level is a whole number from 0 to ${MAX_TRUST_LEVEL}.`);
  }
  return prisma.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: input.userId }, select: { id: true, trustLevel: true, trustLevelLocked: true } });
    if (!user) throw new DomainError("NOT_FOUND", "There is no such user.");
    await tx.user.update({ where: { id: user.id }, data: { trustLevel: input.level, trustLevelLocked: input.locked } });
    await logModeration(tx, {
      actor: input.actor,
      action: "user.trust-level",
      targetType: "user",
      targetId: user.id,
      reason: input.reason ?? "",
      detail: { from: user.trustLevel, to: input.level, wasLocked: user.trustLevelLocked, locked: input.locked },
    });
    const level = input.locked ? input.level : (await refreshTrustLevel(tx, user.id)).level;
    return { level, locked: input.locked };
  });
}

/** A member's own view: their level, whether it is locked, and what the next level asks. */
export async function myTrust(db: Db, userId: string) {
  const user = await db.user.findUnique({ where: { id: userId }, select: { trustLevel: true, trustLevelLocked: true, role: true } });
  if (!user) throw new DomainError("NOT_FOUND", "There is no such user.");
  const activity = await trustActivity(db, userId);
  return {
    level: user.trustLevel,
    name: TRUST_LEVEL_NAMES[user.trustLevel] ?? "?",
    effective: effectiveTrustLevel(user),
    locked: user.trustLevelLocked,
    activity,
    next: user.trustLevelLocked ? null : trustProgress(activity, user.trustLevel),
  };
}
