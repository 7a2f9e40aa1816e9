import { diff3Merge } from "node-diff3";
import { joinLines, normalizeText, splitLines } from "./text";

/** A stretch of a three-way merge: lines both sides agree on, or lines they changed differently. */
export type MergeRegion =
  | { kind: "ok"; lines: string[] }
  | { kind: "conflict"; mine: string[]; base: string[]; theirs: string[] };

export type MergeResult =
  | { kind: "clean"; text: string }
  /**
   * The two edits overlap: nothing is merged. `mine` is the user's whole text, kept so that it is never lost;
   * `theirs` is the text that moved on meanwhile; `regions` show where they agree and where they differ.
   */
  | { kind: "conflict"; mine: string; theirs: string; base: string; regions: MergeRegion[] };

/**
 * Three-way merge by lines (node-diff3): `mine` and `theirs` both started from `base`. Edits to different lines
 * merge cleanly; the same edit on both sides is no conflict; edits to the same or to adjacent lines (as in git and
 * MediaWiki) are a conflict. Line ends are normalised to LF first.
 */
export function mergeTexts(base: string, mine: string, theirs: string): MergeResult {
  const o = normalizeText(base);
  const a = normalizeText(mine);
  const b = normalizeText(theirs);
  // Fast paths: one side did nothing, or both did the same.
  if (o === b || a === b) return { kind: "clean", text: a };
  if (o === a) return { kind: "clean", text: b };
  const regions: MergeRegion[] = [];
  for (const region of diff3Merge(splitLines(a), splitLines(o), splitLines(b), { excludeFalseConflicts: true })) {
    if (region.ok) {
      const last = regions.at(-1);
      if (last?.kind === "ok") last.lines.push(...region.ok);
      else regions.push({ kind: "ok", lines: [...region.ok] });
    } else if (region.conflict) {
      regions.push({ kind: "conflict", mine: region.conflict.a, base: region.conflict.o, theirs: region.conflict.b });
    }
  }
  if (regions.some((region) => region.kind === "conflict")) return { kind: "conflict", mine: a, theirs: b, base: o, regions };
  return { kind: "clean", text: joinLines(regions.flatMap((region) => (region.kind === "ok" ? region.lines : []))) };
}
