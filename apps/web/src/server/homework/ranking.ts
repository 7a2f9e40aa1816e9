/**
 * Leaderboard ranking, Kaggle style, as pure functions over plain data (no database), so every rule is tested alone.
 *
 * - Order: log loss ascending; a tie goes to the higher accuracy, then to the earlier submission (Kaggle's rule).
 * - Each student appears once, with their best submission.
 * - Ranks follow that order: rows tied on log loss get different ranks, decided by the tie-break the leaderboard
 *   page states. Only rows equal on all three (same log loss, accuracy and submission instant) share a rank
 *   ("1, 2, 2, 4"). Scores are rounded on ingestion, so equal log losses are common and the tie-break matters.
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
  /** When the student submitted it: the tie-break, the chart's time axis and the table's "Submitted" column. */
  createdAt: Date;
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

/**
 * Competition ranking over rows already sorted best first with {@link compareMetrics}: a row shares the previous
 * rank only when the whole comparison ties (log loss, accuracy and submission time); the next rank then skips.
 */
export function assignRanks<T extends Metrics & { createdAt: Date }>(sorted: readonly T[]): (T & { rank: number })[] {
  const ranked: (T & { rank: number })[] = [];
  sorted.forEach((row, i) => {
    const previous = ranked[i - 1];
    const rank = previous && compareMetrics(previous, row) === 0 ? previous.rank : i + 1;
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
  /** When the improving submission was submitted. */
  at: Date;
  submissionId: string;
  logLoss: number;
  userId: string;
}

/**
 * The best public log loss over time, as the steps of a step line: one point each time the best improved, at the
 * improving submission's submission time (as Kaggle draws it). The leaderboard table's "Submitted" column shows the
 * same instant for the same submission, so the chart's last point and the leader's row agree.
 */
export function bestOverTime(subs: readonly ScoredSubmission[]): BestPoint[] {
  const points: BestPoint[] = [];
  const inOrder = [...subs].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.submissionId.localeCompare(b.submissionId));
  for (const s of inOrder) {
    const last = points.at(-1);
    if (!last || s.public.logLoss < last.logLoss) points.push({ at: s.createdAt, logLoss: s.public.logLoss, userId: s.userId, submissionId: s.submissionId });
  }
  return points;
}
