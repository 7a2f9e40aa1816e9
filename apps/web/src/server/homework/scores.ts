import type { Metrics, Scores } from "@course/runner/protocol";

/**
 * Decimals kept of every score, as Kaggle shows them. Full doubles leak hidden labels: a notebook that nudges a few
 * predictions by 1e-12 times distinct powers of two reads back, from the last digits of the log loss, which of those
 * ids are dogs. At five decimals such nudges vanish, while any real difference in predictions still shows.
 */
export const SCORE_DECIMALS = 5;
const SCALE = 10 ** SCORE_DECIMALS;

export function roundScore(value: number): number {
  return Math.round(value * SCALE) / SCALE;
}

function roundMetrics(m: Metrics): Metrics {
  return { ...m, accuracy: roundScore(m.accuracy), logLoss: roundScore(m.logLoss) };
}

/** Rounds every score a runner reports; applied when a result is ingested, so full precision is never stored. */
export function roundScores(scores: Scores): Scores {
  return { overall: roundMetrics(scores.overall), public: roundMetrics(scores.public), private: roundMetrics(scores.private) };
}
