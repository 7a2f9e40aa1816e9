import type { MergeRegion } from "@course/revisions";
import { MergeConflict } from "~/components/revisions";

/** A save that overlapped edits saved meanwhile (saveReview / editComment `conflict`): nothing was saved. */
export interface EditConflict {
  mine: string;
  theirs: string;
  regions: MergeRegion[];
  currentNumber: number;
  by: string[];
}

const names = (by: string[]) => (by.length === 0 ? "someone" : by.join(", "));

/**
 * Shown above the editor, which keeps the grader's own text: where their edits overlap the version saved meanwhile.
 * Saving again (the base is now `currentNumber`) saves what the box holds.
 */
export function EditConflictNotice({ conflict, what }: { conflict: EditConflict; what: string }) {
  return (
    <div className="alert error stack" role="alert" data-testid="edit-conflict" style={{ gap: 8 }}>
      <p style={{ margin: 0 }}>
        {names(conflict.by)} saved this {what} while you were editing it, and your edits overlap theirs, so nothing was saved. Your text is
        still in the box: reconcile it with their version below, then save again.
      </p>
      <MergeConflict regions={conflict.regions} mineLabel="Your version" theirsLabel="Their version" />
    </div>
  );
}

/** The note after a save that was merged with changes saved meanwhile (the box then shows the merged text). */
export function mergedNote(by: string[]): string {
  return `Merged with changes saved meanwhile by ${names(by)}.`;
}
