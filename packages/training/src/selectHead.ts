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
  accuracy: number;
}

export interface HeadSelection {
  folds: number;
  scores: CandidateScore[];
  chosen: HeadCandidate;
}

/** A grid measured on the dogs-vs-cats sample (README): from light to strong decay, short and longer training. */
export const DEFAULT_HEAD_CANDIDATES: readonly HeadCandidate[] = [
  { epochs: 3, weightDecay: 0.01 },
  { epochs: 6, weightDecay: 0.01 },
  { epochs: 6, weightDecay: 1 },
  { epochs: 12, weightDecay: 1 },
  { epochs: 12, weightDecay: 5 },
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
    return { ...c, logLoss: logLoss(probs, labels), accuracy: accuracy(probs, labels) };
  });
  // Lowest log loss; ties (within 1e-4) go to the earlier, cheaper candidate.
  let best = scores[0]!;
  for (const s of scores) if (s.logLoss < best.logLoss - 1e-4) best = s;
  return { folds, scores, chosen: { epochs: best.epochs, weightDecay: best.weightDecay } };
}
