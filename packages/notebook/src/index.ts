// Read/validate/write only: safe to import from the web app (no node:vm, no child processes,
// no TypeScript compiler). The executor lives in "@course/notebook/execute".
export * from "./schema";
export { jsonDepthExceededAt, MAX_JSON_DEPTH, parseNotebook, readNotebook, validateNotebook, NotebookFormatError } from "./read";
export type { NotebookErrorCode, NotebookIssue, ReadOptions, ReadResult, ValidationResult } from "./read";
export { writeNotebook, type WriteOptions } from "./write";
export { randomCellId, repairCellIds, upgradeToLatestMinor } from "./cell-id";
export { joinMultiline, splitLines } from "./multiline";
export { renderNotebookText } from "./render";
export { notebookLanguage, type NotebookLanguage } from "./language";
