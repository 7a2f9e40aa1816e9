/** Accuracy, log loss and confusion matrices over predicted probabilities. */

export interface ConfusionMatrix {
  classes: string[];
  /** matrix[actual][predicted] = count. */
  matrix: number[][];
}

export interface Evaluation {
  n: number;
  accuracy: number;
  logLoss: number;
  confusion: ConfusionMatrix;
}

export function argmax(p: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < p.length; i++) if (p[i]! > p[best]!) best = i;
  return best;
}

export function accuracy(probs: readonly ArrayLike<number>[], labels: readonly number[]): number {
  if (probs.length === 0) return Number.NaN;
  let ok = 0;
  probs.forEach((p, i) => (ok += argmax(p) === labels[i] ? 1 : 0));
  return ok / probs.length;
}

/** Mean negative log-likelihood of the true class; probabilities clipped to [eps, 1-eps]. */
export function logLoss(probs: readonly ArrayLike<number>[], labels: readonly number[], eps = 1e-15): number {
  if (probs.length === 0) return Number.NaN;
  let sum = 0;
  probs.forEach((p, i) => {
    const q = Math.min(Math.max(p[labels[i]!]!, eps), 1 - eps);
    sum -= Math.log(q);
  });
  return sum / probs.length;
}

export function confusionMatrix(probs: readonly ArrayLike<number>[], labels: readonly number[], classes: string[]): ConfusionMatrix {
  const matrix = classes.map(() => classes.map(() => 0));
  probs.forEach((p, i) => matrix[labels[i]!]![argmax(p)]!++);
  return { classes, matrix };
}

export function evaluateProbs(probs: readonly ArrayLike<number>[], labels: readonly number[], classes: string[]): Evaluation {
  return {
    n: probs.length,
    accuracy: accuracy(probs, labels),
    logLoss: logLoss(probs, labels),
    confusion: confusionMatrix(probs, labels, classes),
  };
}
