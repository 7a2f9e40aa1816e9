import type { Assignment } from "@course/content";
import type { PrismaClient } from "@course/db";
import { bestOverTime, type BestPoint, privateRanking, publicRanking, type RankedRow, type ScoredSubmission } from "./ranking";
import { assignmentOrThrow } from "./student";

export interface LeaderboardRow extends RankedRow {
  displayName: string;
  anonymous: boolean;
}

export interface Leaderboard {
  slug: string;
  title: string;
  deadline: Date;
  /** The deadline passed: private scores and the final ranking are public. */
  revealed: boolean;
  public: LeaderboardRow[];
  /** null until the deadline passes. */
  final: LeaderboardRow[] | null;
  bestOverTime: BestPoint[];
}

/** How a student appears: "Anonymous" when they asked for it, else their leaderboard name, account name, or a stand-in. */
export function displayNameOf(user: { id: string; name: string | null; leaderboard: { displayName: string | null; anonymous: boolean } | null }) {
  if (user.leaderboard?.anonymous) return { displayName: "Anonymous", anonymous: true };
  const name = user.leaderboard?.displayName?.trim() || user.name?.trim();
  return { displayName: name || `Student ${user.id.slice(-6)}`, anonymous: false };
}

export async function buildLeaderboard(prisma: PrismaClient, assignment: Assignment, now = new Date()): Promise<Leaderboard> {
  const rows = await prisma.submission.findMany({
    where: { assignmentSlug: assignment.slug, publicLogLoss: { not: null }, publicAccuracy: { not: null }, privateLogLoss: { not: null }, privateAccuracy: { not: null } },
    select: {
      id: true,
      userId: true,
      createdAt: true,
      finalChoice: true,
      publicLogLoss: true,
      publicAccuracy: true,
      privateLogLoss: true,
      privateAccuracy: true,
      user: { select: { id: true, name: true, leaderboard: { select: { displayName: true, anonymous: true } } } },
    },
  });
  const scored: ScoredSubmission[] = rows.map((r) => ({
    submissionId: r.id,
    userId: r.userId,
    createdAt: r.createdAt,
    finalChoice: r.finalChoice,
    public: { logLoss: r.publicLogLoss!, accuracy: r.publicAccuracy! },
    private: { logLoss: r.privateLogLoss!, accuracy: r.privateAccuracy! },
  }));
  const people = new Map(rows.map((r) => [r.userId, displayNameOf(r.user)]));
  const named = (ranked: RankedRow[]): LeaderboardRow[] => ranked.map((row) => ({ ...row, ...(people.get(row.userId) ?? { displayName: "Anonymous", anonymous: true }) }));
  const revealed = now.getTime() >= assignment.deadline.getTime();
  return {
    slug: assignment.slug,
    title: assignment.title,
    deadline: assignment.deadline,
    revealed,
    public: named(publicRanking(scored)),
    final: revealed ? named(privateRanking(scored)) : null,
    bestOverTime: bestOverTime(scored),
  };
}

/**
 * An assignment's leaderboard as the public sees it: userIds stay internal; `you` marks the rows of `viewerId`
 * (none for the cached page, which is the same for everyone).
 */
export async function publicLeaderboard(prisma: PrismaClient, slug: string, viewerId?: string) {
  const board = await buildLeaderboard(prisma, await assignmentOrThrow(slug));
  const strip = <T extends { userId: string }>(rows: T[]) => rows.map(({ userId, ...row }) => ({ ...row, you: viewerId !== undefined && userId === viewerId }));
  return { ...board, public: strip(board.public), final: board.final ? strip(board.final) : null, bestOverTime: board.bestOverTime.map(({ at, logLoss }) => ({ at, logLoss })) };
}

/** The ids of the user's submissions shown on an assignment's public board. */
export async function mySubmissionIdsOnBoard(prisma: PrismaClient, slug: string, userId: string) {
  const rows = await prisma.submission.findMany({ where: { userId, assignmentSlug: slug, publicLogLoss: { not: null } }, select: { id: true } });
  return rows.map((r) => r.id);
}
