import { SoftmaxHead, type TrainOptions } from "./head";
import { accuracy, logLoss } from "./metrics";
import { rng, shuffleInPlace } from "./random";

/**
 * Head regularisation chosen by k-fold cross-validation on the *training* photos only (the validation split stays
 * an honest estimate). An image and its mirror always fall in the same fold, and held-out folds are scored the way
 * the model predicts: averaging the image and its mirror when mirrored features are given.
 */

export interface HeadCandidate {
  epochs: number;
  weightDecay: number;
}

export interface CandidateScore extends HeadCandidate {
  logLoss: number;
  /** Standard error of the mean per-image log loss. */
  standardError: number;
  accuracy: number;
}

export interface HeadSelection {
  folds: number;
  scores: CandidateScore[];
  chosen: HeadCandidate;
}

/** Weight decay from light to strong at a fixed training length (see README, "Choosing the head"). */
export const DEFAULT_HEAD_CANDIDATES: readonly HeadCandidate[] = [
  { epochs: 8, weightDecay: 0.01 },
  { epochs: 8, weightDecay: 1 },
  { epochs: 8, weightDecay: 3 },
  { epochs: 8, weightDecay: 10 },
];

export function selectHeadByCrossValidation(
  classes: readonly string[],
  original: readonly Float32Array[],
  mirrored: readonly Float32Array[] | undefined,
  labels: readonly number[],
  opts: { candidates?: readonly HeadCandidate[]; folds?: number; seed?: number; train?: TrainOptions } = {},
): HeadSelection {
  const candidates = opts.candidates ?? DEFAULT_HEAD_CANDIDATES;
  if (candidates.length === 0) throw new Error("no head candidates to choose from");
  const n = original.length;
  // Each fold needs every class in training; with few images fall back to fewer folds.
  const folds = Math.max(2, Math.min(opts.folds ?? 5, Math.floor(n / 2)));
  const seed = opts.seed ?? 42;
  // Stratified: deal each class's shuffled images round-robin into the folds.
  const fold = new Array<number>(n);
  const random = rng(seed ^ 0x5bd1e995);
  const byClass = new Map<number, number[]>();
  labels.forEach((y, i) => byClass.set(y, [...(byClass.get(y) ?? []), i]));
  let next = 0;
  for (const idx of byClass.values()) for (const i of shuffleInPlace(idx, random)) fold[i] = next++ % folds;

  const dim = original[0]?.length ?? 0;
  const scores = candidates.map((c): CandidateScore => {
    const probs = new Array<Float32Array>(n);
    for (let f = 0; f < folds; f++) {
      const train = [...Array(n).keys()].filter((i) => fold[i] !== f);
      const held = [...Array(n).keys()].filter((i) => fold[i] === f);
      const xs = train.map((i) => original[i]!);
      const ys = train.map((i) => labels[i]!);
      if (mirrored) {
        xs.push(...train.map((i) => mirrored[i]!));
        ys.push(...ys.slice());
      }
      const head = new SoftmaxHead([...classes], dim, seed);
      head.train(xs, ys, { ...opts.train, epochs: c.epochs, weightDecay: c.weightDecay, seed });
      const p = head.predict(held.map((i) => original[i]!));
      const q = mirrored ? head.predict(held.map((i) => mirrored[i]!)) : undefined;
      held.forEach((i, k) => (probs[i] = q ? p[k]!.map((v, j) => (v + q[k]![j]!) / 2) : p[k]!));
    }
    const losses = probs.map((p, i) => -Math.log(Math.min(Math.max(p[labels[i]!]!, 1e-15), 1 - 1e-15)));
    const mean = losses.reduce((a, b) => a + b, 0) / n;
    const variance = losses.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(n - 1, 1);
    return { ...c, logLoss: logLoss(probs, labels), standardError: Math.sqrt(variance / n), accuracy: accuracy(probs, labels) };
  });
  // The one-standard-error rule: the most regularised candidate (the last one, candidates go from light to strong)
  // whose log loss is within one standard error of the best. A handful of confidently wrong photos dominate log
  // loss, so candidates a hair apart are not really different, and the stronger decay is the safer bet on new photos.
  let best = scores[0]!;
  for (const s of scores) if (s.logLoss < best.logLoss) best = s;
  const chosen = scores.filter((s) => s.logLoss <= best.logLoss + best.standardError).at(-1)!;
  return { folds, scores, chosen: { epochs: chosen.epochs, weightDecay: chosen.weightDecay } };
}
