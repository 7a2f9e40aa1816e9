import styles from "./grading.module.css";
import { formText } from "~/lib/form-text";

export interface PointsCriterion {
  id: string;
  title: string;
  description: string;
  maxPoints: number;
  points: number | null;
}

/** Keyboard steps of the point inputs (arrow keys); the server takes any value with at most two decimals. */
export const POINTS_STEP = 0.5;

/**
 * One rubric criterion's points: a labelled number input (0..max, arrow keys step by half a point) large enough to
 * use, with the maximum beside it. `prefix` keeps ids unique when two forms are on one page.
 */
export function PointsInput({ criterion: c, prefix }: { criterion: PointsCriterion; prefix: string }) {
  const id = `${prefix}-${c.id}`;
  return (
    <div className={styles.pointsRow}>
      <div className={styles.pointsLabel}>
        <label htmlFor={id}>
          <strong>{c.title}</strong>
        </label>
        {c.description ? (
          <span className="hint" id={`${id}-about`}>
            {c.description}
          </span>
        ) : null}
      </div>
      <span className={styles.pointsField}>
        <input
          id={id}
          name={`points-${c.id}`}
          className={styles.points}
          type="number"
          inputMode="decimal"
          min={0}
          max={c.maxPoints}
          step={POINTS_STEP}
          defaultValue={c.points ?? ""}
          aria-describedby={c.description ? `${id}-max ${id}-about` : `${id}-max`}
        />
        <span id={`${id}-max`}>out of {c.maxPoints}</span>
      </span>
    </div>
  );
}

/** Reads the points of every criterion from a form (empty inputs are null). */
export function readPoints(form: FormData, rubric: readonly { id: string }[]): Record<string, number | null> {
  const scores: Record<string, number | null> = {};
  for (const c of rubric) {
    const raw = formText(form, `points-${c.id}`).trim();
    scores[c.id] = raw === "" ? null : Number(raw);
  }
  return scores;
}
