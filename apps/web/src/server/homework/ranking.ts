/**
 * Leaderboard ranking, Kaggle style, as pure functions over plain data (no database), so every rule is tested alone.
 *
 * - Order: log loss ascending, then accuracy descending, then the earlier submission.
 * - Each student appears once, with their best submission.
 * - Ranks are shared on equal log loss ("1, 2, 2, 4").
 * - Private (final) ranking: each student's best private score among the submissions they chose as finals; a
 *   student who chose none is ranked on their (up to) two best public-scoring submissions.
 */

export interface Metrics {
  logLoss: number;
  accuracy: number;
}

export interface ScoredSubmission {
  submissionId: string;
  userId: string;
  createdAt: Date;
  /** When the score arrived (the job finished). */
  scoredAt: Date;
  public: Metrics;
  private: Metrics;
  finalChoice: boolean;
}

export interface RankedRow {
  rank: number;
  userId: string;
  submissionId: string;
  createdAt: Date;
  logLoss: number;
  accuracy: number;
  /** Scored submissions the student has for this assignment. */
  entries: number;
}

export const MAX_FINALS = 2;

/** Negative when `a` ranks above `b`. */
export function compareMetrics(a: Metrics & { createdAt: Date }, b: Metrics & { createdAt: Date }): number {
  return a.logLoss - b.logLoss || b.accuracy - a.accuracy || a.createdAt.getTime() - b.createdAt.getTime();
}

const on = (which: "public" | "private") => (s: ScoredSubmission) => ({ ...s[which], createdAt: s.createdAt });

/** The submissions sorted best first on the public or private half. */
export function sortBy(which: "public" | "private", subs: readonly ScoredSubmission[]): ScoredSubmission[] {
  const metrics = on(which);
  return [...subs].sort((a, b) => compareMetrics(metrics(a), metrics(b)) || a.submissionId.localeCompare(b.submissionId));
}

/** Competition ranking over rows already sorted best first: equal log loss shares a rank, the next rank skips. */
export function assignRanks<T extends { logLoss: number }>(sorted: readonly T[]): (T & { rank: number })[] {
  const ranked: (T & { rank: number })[] = [];
  sorted.forEach((row, i) => {
    const previous = ranked[i - 1];
    const rank = previous && previous.logLoss === row.logLoss ? previous.rank : i + 1;
    ranked.push({ ...row, rank });
  });
  return ranked;
}

function groupByUser(subs: readonly ScoredSubmission[]): Map<string, ScoredSubmission[]> {
  const byUser = new Map<string, ScoredSubmission[]>();
  for (const s of subs) byUser.set(s.userId, [...(byUser.get(s.userId) ?? []), s]);
  return byUser;
}

function rows(which: "public" | "private", picks: { best: ScoredSubmission; entries: number }[]): RankedRow[] {
  const sorted = picks
    .map(({ best, entries }) => ({ userId: best.userId, submissionId: best.submissionId, createdAt: best.createdAt, ...best[which], entries }))
    .sort((a, b) => compareMetrics(a, b) || a.submissionId.localeCompare(b.submissionId));
  return assignRanks(sorted);
}

/** Public leaderboard: each student's best public score. */
export function publicRanking(subs: readonly ScoredSubmission[]): RankedRow[] {
  const picks = [...groupByUser(subs).values()].map((mine) => ({ best: sortBy("public", mine)[0]!, entries: mine.length }));
  return rows("public", picks);
}

/** The submissions that count for a student's final score: their chosen finals, or their best public ones. */
export function finalsOf(mine: readonly ScoredSubmission[]): ScoredSubmission[] {
  const chosen = mine.filter((s) => s.finalChoice);
  return chosen.length > 0 ? chosen : sortBy("public", mine).slice(0, MAX_FINALS);
}

/** Private (final) leaderboard: each student's best private score among their finals. */
export function privateRanking(subs: readonly ScoredSubmission[]): RankedRow[] {
  const picks = [...groupByUser(subs).values()].map((mine) => ({ best: sortBy("private", finalsOf(mine))[0]!, entries: mine.length }));
  return rows("private", picks);
}

export interface BestPoint {
  at: Date;
  logLoss: number;
  userId: string;
}

/** The best public log loss over time, as the steps of a step line: one point each time the best improved. */
export function bestOverTime(subs: readonly ScoredSubmission[]): BestPoint[] {
  const points: BestPoint[] = [];
  const inOrder = [...subs].sort((a, b) => a.scoredAt.getTime() - b.scoredAt.getTime() || a.createdAt.getTime() - b.createdAt.getTime());
  for (const s of inOrder) {
    const last = points.at(-1);
    if (!last || s.public.logLoss < last.logLoss) points.push({ at: s.scoredAt, logLoss: s.public.logLoss, userId: s.userId });
  }
  return points;
}
