import { writeFileAtomic } from "./modelStore";
import type { Predictions } from "./classifier";
import { naturalCompare } from "./data";

/**
 * Kaggle submissions: `id,label` with label = P(positive class), e.g. P(dog).
 *
 * Clipping: Kaggle scores this competition by log loss, where one confident
 * mistake (P(dog) = 0.0001 for a dog) costs -ln(0.0001) = 9.2 and can outweigh
 * hundreds of good answers. Clipping to [0.005, 0.995] caps that cost at 5.3
 * while costing at most 0.005 per correct answer.
 */

export interface SubmissionOptions {
  /** Class whose probability is the label. Default: the class named dog/dogs, else the second of two classes. */
  positiveClass?: string;
  /** Clip probabilities to [clip, 1 - clip], e.g. 0.005. */
  clip?: number;
}

export function positiveClassIndex(classes: readonly string[], positiveClass?: string): number {
  if (positiveClass !== undefined) {
    const i = classes.indexOf(positiveClass);
    if (i < 0) throw new Error(`positive class "${positiveClass}" is not one of: ${classes.join(", ")}`);
    return i;
  }
  const dog = classes.findIndex((c) => /^dogs?$/i.test(c));
  if (dog >= 0) return dog;
  if (classes.length === 2) return 1;
  throw new Error(`say which class the label is the probability of (positiveClass); classes: ${classes.join(", ")}`);
}

export function submissionCsv(p: Predictions, opts: SubmissionOptions = {}): string {
  const k = positiveClassIndex(p.classes, opts.positiveClass);
  const clip = opts.clip ?? 0;
  if (!(clip >= 0 && clip < 0.5)) throw new Error(`clip must be in [0, 0.5), got ${clip}`);
  const rows = p.ids.map((id, i) => {
    if (/[",\n]/.test(id)) throw new Error(`id "${id}" cannot be written to a CSV without quoting`);
    const v = Math.min(Math.max(p.probs[i]![k]!, clip), 1 - clip);
    return { id, v };
  });
  rows.sort((a, b) => naturalCompare(a.id, b.id));
  return `id,label\n${rows.map((r) => `${r.id},${Number(r.v.toFixed(6))}`).join("\n")}\n`;
}

export async function writeSubmission(p: Predictions, file: string, opts: SubmissionOptions = {}): Promise<string> {
  const csv = submissionCsv(p, opts);
  await writeFileAtomic(file, csv);
  return file;
}
