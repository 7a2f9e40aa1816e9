import type { RubricCriterion } from "@course/content";
import { DomainError } from "../errors";

/** Points per rubric criterion id, as stored in Review.scores. */
export type RubricScores = Record<string, number>;


/**
 * Checks scores against an assignment's rubric: only known criteria, each a finite number in 0..maxPoints with at
 * most two decimals. `complete` requires every criterion (returning a review); a draft may leave some out.
 */
export function checkRubricScores(rubric: readonly RubricCriterion[], scores: Record<string, number | null | undefined>, complete: boolean): RubricScores {
  const known = new Map(rubric.map((c) => [c.id, c]));
  const out: RubricScores = {};
  for (const [id, value] of Object.entries(scores)) {
    const criterion = known.get(id);
    if (!criterion) throw new DomainError("BAD_REQUEST", `Unknown rubric criterion "${id}"; expected one of ${[...known.keys()].join(", ")}.`);
    if (value === null || value === undefined) continue;
    if (!Number.isFinite(value) || value < 0 || value > criterion.maxPoints) {
      throw new DomainError("BAD_REQUEST", `"${criterion.title}" must be between 0 and ${criterion.maxPoints} points (got ${value}).`);
    }
    if (Math.round(value * 100) !== value * 100) throw new DomainError("BAD_REQUEST", `"${criterion.title}": at most two decimals (got ${value}).`);
    out[id] = value;
  }
  if (complete) {
    const missing = rubric.filter((c) => out[c.id] === undefined);
    if (missing.length > 0) throw new DomainError("BAD_REQUEST", `Score every criterion before returning: ${missing.map((c) => c.title).join(", ")}.`);
  }
  return out;
}

/** Reads stored scores leniently (a rubric may have changed since): numbers only. */
export function storedScores(json: unknown): RubricScores {
  const out: RubricScores = {};
  if (json && typeof json === "object" && !Array.isArray(json)) {
    for (const [k, v] of Object.entries(json)) if (typeof v === "number" && Number.isFinite(v)) out[k] = v;
  }
  return out;
}

export function rubricTotal(rubric: readonly RubricCriterion[], scores: RubricScores): { total: number; max: number } {
  const total = rubric.reduce((sum, c) => sum + (scores[c.id] ?? 0), 0);
  return { total: Math.round(total * 100) / 100, max: rubric.reduce((sum, c) => sum + c.maxPoints, 0) };
}
