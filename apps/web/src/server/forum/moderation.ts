import type { Prisma, PrismaClient } from "@course/db";
import { formatUtc } from "../../lib/format";
import { hasRole, RANK } from "../auth/roles";
import { endAllSessions } from "../auth/session-version";
import { DomainError } from "../errors";
import { notify } from "../notifications/notify";
import { flagsOfUser } from "./flags";
import { logModeration } from "./moderation-log";
import { postPath, topicPath } from "./paths";
import type { ForumActor } from "./permissions";
import { effectiveTrustLevel, TRUST_LEVEL_NAMES, trustActivity, trustProgress } from "./trust";
import { displayName } from "./users";

/**
 * Moderating members: silence (may read, not post or flag, until a date) by graders and admins; suspend (signed out
 * everywhere and may not sign in until a date) by admins. A moderator acts only on members of a lower role and never
 * on themselves. Each action is logged (ModerationLog) with its reason. Also the reads behind the user moderation
 * panel (/admin/users/<id>) and the audit log (/admin/moderation-log).
 */

type Db = PrismaClient | Prisma.TransactionClient;

/** The longest silence or suspension (about ten years: "for good" in practice). */
export const MAX_SANCTION_DAYS = 3650;
export const MAX_REASON_CHARS = 500;

async function targetFor(db: Db, userId: string, actor: ForumActor, verb: string) {
  const user = await db.user.findUnique({ where: { id: userId }, select: { id: true, name: true, username: true, email: true, role: true, silencedUntil: true, suspendedUntil: true } });
  if (!user) throw new DomainError("NOT_FOUND", "There is no such user.");
  if (user.id === actor.id) throw new DomainError("BAD_REQUEST", `You cannot ${verb} yourself.`);
  if (RANK[user.role] >= RANK[actor.role]) throw new DomainError("FORBIDDEN", `A ${actor.role} cannot ${verb} a ${user.role}.`);
  return user;
}

function checkSanction(until: Date, reason: string, now: Date) {
  if (!(until instanceof Date) || Number.isNaN(until.getTime()) || until <= now) throw new DomainError("BAD_REQUEST", "Choose a date and time in the future.");
  if (until.getTime() - now.getTime() > MAX_SANCTION_DAYS * 86_400_000) throw new DomainError("BAD_REQUEST", `At most ${MAX_SANCTION_DAYS} days from now.`);
  if (!reason) throw new DomainError("BAD_REQUEST", "Give a reason: the member and the audit log see it.");
  if (reason.length > MAX_REASON_CHARS) throw new DomainError("BAD_REQUEST", `A reason may hold at most ${MAX_REASON_CHARS} characters.`);
}

/** Silences a member until `until`: they read but cannot post, edit or flag. Graders and admins; told in-app. */
export async function silenceUser(prisma: PrismaClient, input: { userId: string; until: Date; reason: string; actor: ForumActor }) {
  if (!hasRole(input.actor.role, "grader")) throw new DomainError("FORBIDDEN", "Only graders and admins silence members.");
  const reason = input.reason.trim();
  const now = new Date();
  checkSanction(input.until, reason, now);
  return prisma.$transaction(async (tx) => {
    const user = await targetFor(tx, input.userId, input.actor, "silence");
    await tx.user.update({ where: { id: user.id }, data: { silencedUntil: input.until, silenceReason: reason } });
    await logModeration(tx, { actor: input.actor, action: "user.silence", targetType: "user", targetId: user.id, reason, detail: { until: input.until.toISOString(), previous: user.silencedUntil?.toISOString() ?? null } });
    await notify(
      tx,
      user.id,
      "forum-moderation",
      { title: `You are silenced in the forum until ${formatUtc(input.until)}`, body: `You can read but not post or flag until then. Reason: ${reason}`, link: "/forum" },
      { dedupeKey: `forum-silence:${user.id}:${now.getTime()}` },
    );
    return { silencedUntil: input.until };
  });
}

export async function unsilenceUser(prisma: PrismaClient, input: { userId: string; reason?: string; actor: ForumActor }) {
  if (!hasRole(input.actor.role, "grader")) throw new DomainError("FORBIDDEN", "Only graders and admins silence members.");
  return prisma.$transaction(async (tx) => {
    const user = await targetFor(tx, input.userId, input.actor, "unsilence");
    if (!user.silencedUntil || user.silencedUntil <= new Date()) throw new DomainError("CONFLICT", "This member is not silenced.");
    await tx.user.update({ where: { id: user.id }, data: { silencedUntil: null, silenceReason: "" } });
    await logModeration(tx, { actor: input.actor, action: "user.unsilence", targetType: "user", targetId: user.id, reason: (input.reason ?? "").trim(), detail: { was: user.silencedUntil.toISOString() } });
    return { silencedUntil: null };
  });
}

/**
 * Suspends a member until `until`: every session ends now and sign-in is refused (with the date and reason) until
 * then; anything they try to write is refused too. Admins only.
 */
export async function suspendUser(prisma: PrismaClient, input: { userId: string; until: Date; reason: string; actor: ForumActor }) {
  if (!hasRole(input.actor.role, "admin")) throw new DomainError("FORBIDDEN", "Only admins suspend members.");
  const reason = input.reason.trim();
  checkSanction(input.until, reason, new Date());
  return prisma.$transaction(async (tx) => {
    const user = await targetFor(tx, input.userId, input.actor, "suspend");
    await tx.user.update({ where: { id: user.id }, data: { suspendedUntil: input.until, suspendReason: reason } });
    await endAllSessions(tx, user.id);
    await logModeration(tx, { actor: input.actor, action: "user.suspend", targetType: "user", targetId: user.id, reason, detail: { until: input.until.toISOString(), previous: user.suspendedUntil?.toISOString() ?? null } });
    return { suspendedUntil: input.until };
  });
}

export async function unsuspendUser(prisma: PrismaClient, input: { userId: string; reason?: string; actor: ForumActor }) {
  if (!hasRole(input.actor.role, "admin")) throw new DomainError("FORBIDDEN", "Only admins suspend members.");
  return prisma.$transaction(async (tx) => {
    const user = await targetFor(tx, input.userId, input.actor, "unsuspend");
    if (!user.suspendedUntil || user.suspendedUntil <= new Date()) throw new DomainError("CONFLICT", "This member is not suspended.");
    await tx.user.update({ where: { id: user.id }, data: { suspendedUntil: null, suspendReason: "" } });
    await logModeration(tx, { actor: input.actor, action: "user.unsuspend", targetType: "user", targetId: user.id, reason: (input.reason ?? "").trim(), detail: { was: user.suspendedUntil.toISOString() } });
    return { suspendedUntil: null };
  });
}

export interface LogEntryView {
  id: string;
  createdAt: Date;
  actorId: string | null;
  actorName: string;
  action: string;
  targetType: string;
  targetId: string;
  /** what the target is, in words, and where it lives (null when it is gone) */
  target: { label: string; url: string | null };
  reason: string;
  detail: Prisma.JsonValue;
}

type LogRow = { id: string; createdAt: Date; actorId: string | null; actorName: string; action: string; targetType: string; targetId: string; reason: string; detail: Prisma.JsonValue };

/** Names and links for the targets of log entries, in a few queries. */
async function describeTargets(db: Db, rows: LogRow[]): Promise<LogEntryView[]> {
  const ids = (type: string) => [...new Set(rows.filter((r) => r.targetType === type).map((r) => r.targetId))];
  const [posts, topics, users] = await Promise.all([
    db.forumPost.findMany({ where: { id: { in: ids("post") } }, select: { id: true, number: true, topic: { select: { id: true, slug: true, title: true } } } }),
    db.forumTopic.findMany({ where: { id: { in: ids("topic") } }, select: { id: true, slug: true, title: true } }),
    db.user.findMany({ where: { id: { in: ids("user") } }, select: { id: true, name: true, username: true, email: true } }),
  ]);
  const postById = new Map(posts.map((p) => [p.id, p]));
  const topicById = new Map(topics.map((t) => [t.id, t]));
  const userById = new Map(users.map((u) => [u.id, u]));
  return rows.map((row) => {
    let target: LogEntryView["target"] = { label: `${row.targetType} ${row.targetId}`, url: null };
    if (row.targetType === "post") {
      const p = postById.get(row.targetId);
      if (p) target = { label: `post ${p.number} of "${p.topic.title}"`, url: postPath(p.topic, p.number) };
    } else if (row.targetType === "topic") {
      const t = topicById.get(row.targetId);
      if (t) target = { label: `topic "${t.title}"`, url: topicPath(t) };
    } else if (row.targetType === "user") {
      const u = userById.get(row.targetId);
      if (u) target = { label: `${displayName(u)} (${u.email})`, url: `/admin/users/${u.id}` };
    }
    return { ...row, target };
  });
}

export interface LogFilters {
  /** an action ("user.silence") or a prefix ending in a dot ("flag.") */
  action?: string;
  /** part of the actor's name */
  actor?: string;
  targetType?: string;
  targetId?: string;
  from?: Date;
  to?: Date;
  /** the id of the last entry of the previous page */
  cursor?: string;
  limit?: number;
}

/** The audit log, newest first, filtered; `nextCursor` pages on. Admins (the page checks the role). */
export async function moderationLogPage(db: Db, filters: LogFilters = {}): Promise<{ entries: LogEntryView[]; nextCursor: string | null; actions: string[] }> {
  const limit = Math.min(Math.max(filters.limit ?? 50, 1), 200);
  const where: Prisma.ModerationLogWhereInput = {
    ...(filters.action ? (filters.action.endsWith(".") ? { action: { startsWith: filters.action } } : { action: filters.action }) : {}),
    ...(filters.actor ? { actorName: { contains: filters.actor, mode: "insensitive" } } : {}),
    ...(filters.targetType ? { targetType: filters.targetType } : {}),
    ...(filters.targetId ? { targetId: filters.targetId } : {}),
    ...(filters.from || filters.to ? { createdAt: { ...(filters.from ? { gte: filters.from } : {}), ...(filters.to ? { lte: filters.to } : {}) } } : {}),
  };
  const rows = await db.moderationLog.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    ...(filters.cursor ? { cursor: { id: filters.cursor }, skip: 1 } : {}),
    select: { id: true, createdAt: true, actorId: true, actorName: true, action: true, targetType: true, targetId: true, reason: true, detail: true },
  });
  const page = rows.slice(0, limit);
  const actions = (await db.moderationLog.groupBy({ by: ["action"], orderBy: { action: "asc" } })).map((a) => a.action);
  return { entries: await describeTargets(db, page), nextCursor: rows.length > limit ? page[page.length - 1]!.id : null, actions };
}

/** Everything the moderation panel shows about one member: account, trust, sanctions, flags, and the log about them. */
export async function userModeration(db: Db, userId: string, now = new Date()) {
  const user = await db.user.findUnique({
    where: { id: userId },
    select: {
      id: true,
      email: true,
      name: true,
      username: true,
      role: true,
      createdAt: true,
      trustLevel: true,
      trustLevelLocked: true,
      silencedUntil: true,
      silenceReason: true,
      suspendedUntil: true,
      suspendReason: true,
      forumStat: true,
    },
  });
  if (!user) throw new DomainError("NOT_FOUND", "There is no such user.");
  const activity = await trustActivity(db, user.id, now);
  const flags = await flagsOfUser(db, user.id);
  // Entries about the member, their posts and their topics.
  const rows = await db.$queryRaw<LogRow[]>`
    SELECT l.id, l."createdAt", l."actorId", l."actorName", l.action, l."targetType", l."targetId", l.reason, l.detail
    FROM "ModerationLog" l
    LEFT JOIN "ForumPost" p ON l."targetType" = 'post' AND p.id = l."targetId"
    LEFT JOIN "ForumTopic" t ON l."targetType" = 'topic' AND t.id = l."targetId"
    WHERE (l."targetType" = 'user' AND l."targetId" = ${user.id}) OR p."authorId" = ${user.id} OR t."authorId" = ${user.id}
    ORDER BY l."createdAt" DESC, l.id DESC
    LIMIT 200`;
  const active = (until: Date | null) => (until && until > now ? until : null);
  return {
    user: {
      id: user.id,
      email: user.email,
      name: displayName(user),
      username: user.username,
      role: user.role,
      createdAt: user.createdAt,
    },
    trust: {
      level: user.trustLevel,
      name: TRUST_LEVEL_NAMES[user.trustLevel] ?? "?",
      effective: effectiveTrustLevel(user),
      locked: user.trustLevelLocked,
      activity,
      next: trustProgress(activity, user.trustLevel),
    },
    silenced: active(user.silencedUntil) ? { until: user.silencedUntil!, reason: user.silenceReason } : null,
    suspended: active(user.suspendedUntil) ? { until: user.suspendedUntil!, reason: user.suspendReason } : null,
    stats: { posts: user.forumStat?.postCount ?? 0, topics: user.forumStat?.topicCount ?? 0, flagsAgreed: user.forumStat?.flagsAgreed ?? 0 },
    flags,
    log: await describeTargets(db, rows),
  };
}

export type UserModeration = Awaited<ReturnType<typeof userModeration>>;
