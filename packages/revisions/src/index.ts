export { diffTexts, foldUnchanged, sideOf, wordSegments, type DiffRow, type FoldedRows, type Segment, type TextDiff } from "./diff";
export { mergeTexts, type MergeRegion, type MergeResult } from "./merge";
export { joinLines, normalizeText, splitLines } from "./text";
