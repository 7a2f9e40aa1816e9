import { createHash } from "node:crypto";
import type { Metrics, Scores } from "../protocol";

/** Kaggle's log loss clips predictions to [eps, 1 - eps] so one confident mistake costs ~34.5, not infinity. */
export const LOG_LOSS_EPSILON = 1e-15;
/** P(dog) >= threshold counts as a "dog" prediction. */
export const ACCURACY_THRESHOLD = 0.5;

/**
 * Public/private half of a test id: sha256(`${salt}:${id}`), first byte even -> "public".
 * Deterministic per benchmark (salt from benchmark.json) and roughly 50/50.
 */
export function splitOf(salt: string, id: number): "public" | "private" {
  const first = createHash("sha256").update(`${salt}:${id}`).digest()[0] ?? 0;
  return first % 2 === 0 ? "public" : "private";
}

class Accumulator {
  count = 0;
  correct = 0;
  lossSum = 0;
  add(p: number, label: 0 | 1): void {
    this.count++;
    if ((p >= ACCURACY_THRESHOLD ? 1 : 0) === label) this.correct++;
    const q = Math.min(Math.max(p, LOG_LOSS_EPSILON), 1 - LOG_LOSS_EPSILON);
    this.lossSum -= label === 1 ? Math.log(q) : Math.log(1 - q);
  }
  metrics(): Metrics {
    return {
      count: this.count,
      accuracy: this.count === 0 ? 0 : this.correct / this.count,
      logLoss: this.count === 0 ? 0 : this.lossSum / this.count,
    };
  }
}

/**
 * Scores validated predictions (every label id present) against the hidden labels.
 * Throws if a labelled id has no prediction: validate with validateSubmission first.
 */
export function scorePredictions(
  predictions: ReadonlyMap<number, number>,
  labels: ReadonlyMap<number, 0 | 1>,
  splitSalt: string,
): Scores {
  const overall = new Accumulator();
  const pub = new Accumulator();
  const priv = new Accumulator();
  for (const [id, label] of labels) {
    const p = predictions.get(id);
    if (p === undefined) throw new Error(`no prediction for test id ${id}`);
    overall.add(p, label);
    (splitOf(splitSalt, id) === "public" ? pub : priv).add(p, label);
  }
  return { overall: overall.metrics(), public: pub.metrics(), private: priv.metrics() };
}
