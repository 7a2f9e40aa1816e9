import type { Predictions } from "./classifier";
import { argmax } from "./metrics";

/** Which images the model gets most right, most wrong, and is least sure about. */

export interface ImageVerdict {
  file: string;
  id: string;
  actual: string;
  predicted: string;
  /** Probability given to the predicted class. */
  confidence: number;
  /** Probability given to the actual class. */
  actualProbability: number;
}

export interface Interpretation {
  mostConfidentCorrect: ImageVerdict[];
  mostConfidentWrong: ImageVerdict[];
  mostUncertain: ImageVerdict[];
}

export function interpret(p: Predictions, labels: readonly number[], n = 8): Interpretation {
  const verdicts = p.probs.map((row, i): ImageVerdict & { margin: number } => {
    const best = argmax(row);
    const sorted = [...row].sort((a, b) => b - a);
    return {
      file: p.files[i]!,
      id: p.ids[i]!,
      actual: p.classes[labels[i]!]!,
      predicted: p.classes[best]!,
      confidence: row[best]!,
      actualProbability: row[labels[i]!]!,
      margin: sorted[0]! - (sorted[1] ?? 0),
    };
  });
  const strip = ({ margin: _m, ...v }: ImageVerdict & { margin: number }): ImageVerdict => v;
  const correct = verdicts.filter((v) => v.actual === v.predicted);
  const wrong = verdicts.filter((v) => v.actual !== v.predicted);
  return {
    mostConfidentCorrect: correct.sort((a, b) => b.confidence - a.confidence).slice(0, n).map(strip),
    mostConfidentWrong: wrong.sort((a, b) => b.confidence - a.confidence).slice(0, n).map(strip),
    mostUncertain: [...verdicts].sort((a, b) => a.margin - b.margin).slice(0, n).map(strip),
  };
}
