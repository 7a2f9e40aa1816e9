export { MergeConflict, type MergeConflictProps } from "./merge-conflict";
export { RevisionDiff, type RevisionDiffProps } from "./revision-diff";
