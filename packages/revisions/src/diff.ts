import { diffArrays, diffWordsWithSpace } from "diff";
import { splitLines } from "./text";

/** A run of text inside a changed line: kept, added in the new text, or removed from the old. */
export interface Segment {
  kind: "same" | "added" | "removed";
  text: string;
}

/**
 * One row of a diff, as a side-by-side view shows it: the old line on the left, the new one on the right. Line
 * numbers count from 1. A "changed" row pairs an old line with the new line that replaced it and carries their
 * word-level diff; the old side is its "same" and "removed" segments, the new side its "same" and "added" ones.
 */
export type DiffRow =
  | { kind: "same"; oldNumber: number; newNumber: number; text: string }
  | { kind: "removed"; oldNumber: number; text: string }
  | { kind: "added"; newNumber: number; text: string }
  | { kind: "changed"; oldNumber: number; newNumber: number; segments: Segment[] };

export interface TextDiff {
  rows: DiffRow[];
  /** lines only in the new text (added, or the new side of a changed row) */
  added: number;
  /** lines only in the old text (removed, or the old side of a changed row) */
  removed: number;
  /** true when the texts are equal (after line-end normalisation) */
  identical: boolean;
}

/**
 * The line- and word-level diff of two texts (jsdiff), as rows a UI renders inline or side by side. Removed lines
 * directly followed by added ones are paired in order as changed lines with a word diff; the rest stay whole.
 */
export function diffTexts(oldText: string, newText: string): TextDiff {
  const oldLines = dropFinalEmpty(splitLines(oldText));
  const newLines = dropFinalEmpty(splitLines(newText));
  const rows: DiffRow[] = [];
  let oldNumber = 1;
  let newNumber = 1;
  let pendingRemoved: string[] = [];
  const flushRemoved = () => {
    for (const text of pendingRemoved) rows.push({ kind: "removed", oldNumber: oldNumber++, text });
    pendingRemoved = [];
  };
  for (const change of diffArrays(oldLines, newLines)) {
    if (change.removed) {
      flushRemoved();
      pendingRemoved = change.value;
    } else if (change.added) {
      const paired = Math.min(pendingRemoved.length, change.value.length);
      for (let i = 0; i < paired; i++) {
        rows.push({ kind: "changed", oldNumber: oldNumber++, newNumber: newNumber++, segments: wordSegments(pendingRemoved[i]!, change.value[i]!) });
      }
      pendingRemoved = pendingRemoved.slice(paired);
      flushRemoved();
      for (const text of change.value.slice(paired)) rows.push({ kind: "added", newNumber: newNumber++, text });
    } else {
      flushRemoved();
      for (const text of change.value) rows.push({ kind: "same", oldNumber: oldNumber++, newNumber: newNumber++, text });
    }
  }
  flushRemoved();
  let added = 0;
  let removed = 0;
  for (const row of rows) {
    if (row.kind === "added" || row.kind === "changed") added++;
    if (row.kind === "removed" || row.kind === "changed") removed++;
  }
  return { rows, added, removed, identical: added === 0 && removed === 0 };
}

/** The word-level diff of two lines; whitespace counts, so that the two sides rebuild their lines exactly. */
export function wordSegments(oldLine: string, newLine: string): Segment[] {
  const segments: Segment[] = [];
  for (const change of diffWordsWithSpace(oldLine, newLine)) {
    const kind = change.added ? "added" : change.removed ? "removed" : "same";
    const last = segments.at(-1);
    if (last && last.kind === kind) last.text += change.value;
    else segments.push({ kind, text: change.value });
  }
  return segments;
}

/** The old (left) or new (right) side of a changed row. */
export function sideOf(segments: readonly Segment[], side: "old" | "new"): Segment[] {
  const hidden = side === "old" ? "added" : "removed";
  return segments.filter((segment) => segment.kind !== hidden);
}

/** A text's final newline is not a line of its own in a diff view. */
function dropFinalEmpty(lines: string[]): string[] {
  return lines.length > 0 && lines.at(-1) === "" ? lines.slice(0, -1) : lines;
}

/** Unchanged lines a view leaves out: `count` same rows starting at these line numbers. */
export interface FoldedRows {
  kind: "folded";
  count: number;
  oldNumber: number;
  newNumber: number;
}

/**
 * Keeps `context` unchanged lines around each change and folds longer unchanged runs into one row, so that a view of
 * a long text shows its changes (a run is folded only when that hides at least two lines).
 */
export function foldUnchanged(rows: readonly DiffRow[], context = 3): Array<DiffRow | FoldedRows> {
  const out: Array<DiffRow | FoldedRows> = [];
  let i = 0;
  while (i < rows.length) {
    if (rows[i]!.kind !== "same") {
      out.push(rows[i++]!);
      continue;
    }
    let end = i;
    while (end < rows.length && rows[end]!.kind === "same") end++;
    const keepBefore = i === 0 ? 0 : context;
    const keepAfter = end === rows.length ? 0 : context;
    const hidden = end - i - keepBefore - keepAfter;
    if (hidden < 2) {
      out.push(...rows.slice(i, end));
    } else {
      out.push(...rows.slice(i, i + keepBefore));
      const first = rows[i + keepBefore] as Extract<DiffRow, { kind: "same" }>;
      out.push({ kind: "folded", count: hidden, oldNumber: first.oldNumber, newNumber: first.newNumber });
      out.push(...rows.slice(end - keepAfter, end));
    }
    i = end;
  }
  return out;
}
