import { type z } from "zod";
import { upgradeToLatestMinor, repairCellIds } from "./cell-id";
import { locateJsonError, locateJsonPath, positionAt } from "./json-locate";
import { CELL_ID_MINOR, MAX_MINOR, notebookSchema, type Notebook } from "./schema";

export type NotebookErrorCode = "too-large" | "not-utf8" | "not-json" | "too-deep" | "not-a-notebook" | "unsupported-version" | "invalid";

export interface NotebookIssue {
  /** Where in the notebook, e.g. `cells[3].source` (empty for the whole document). */
  path: string;
  message: string;
  /** 1-based position in the JSON text, when the text is known. */
  line?: number;
  column?: number;
}

export class NotebookFormatError extends Error {
  override readonly name = "NotebookFormatError";
  constructor(
    readonly code: NotebookErrorCode,
    readonly issues: NotebookIssue[],
    readonly fileName?: string,
  ) {
    super(formatIssues(code, issues, fileName));
  }
}

function formatIssues(code: NotebookErrorCode, issues: NotebookIssue[], fileName?: string): string {
  const head = `${fileName ?? "notebook"}: ${describeCode(code)}`;
  const lines = issues.slice(0, 20).map((i) => {
    const where = [i.line !== undefined ? `line ${i.line}, column ${i.column ?? 1}` : "", i.path].filter(Boolean).join(" ");
    return `  ${where ? `${where}: ` : ""}${i.message}`;
  });
  if (issues.length > 20) lines.push(`  ... and ${issues.length - 20} more`);
  return [head, ...lines].join("\n");
}

function describeCode(code: NotebookErrorCode): string {
  switch (code) {
    case "too-large":
      return "file too large";
    case "not-utf8":
      return "not UTF-8 text";
    case "not-json":
      return "not valid JSON";
    case "too-deep":
      return "nested too deeply";
    case "not-a-notebook":
      return "not a Jupyter notebook";
    case "unsupported-version":
      return "unsupported notebook format version";
    case "invalid":
      return "invalid nbformat 4 notebook";
  }
}

export interface ReadOptions {
  /** Refuse inputs larger than this many bytes (UTF-8). Default: no limit. */
  maxBytes?: number;
  /**
   * Repair what nbformat repairs silently (default true): generate missing or duplicate cell ids
   * in 4.5, and upgrade 4.0-4.4 notebooks that carry cell ids to 4.5. With false these are errors.
   */
  repair?: boolean;
  /** Name used in error messages. */
  fileName?: string;
  /** Refuse JSON nested deeper than this many arrays and objects. Default MAX_JSON_DEPTH. */
  maxDepth?: number;
}

/**
 * How deeply arrays and objects may nest. A real notebook needs under 20 levels (cells, outputs, mime bundles, JSON
 * outputs); a deep one is an attack: V8's JSON.parse copes, but everything recursive after it (JSON.stringify, zod,
 * rendering) overflows the stack.
 */
export const MAX_JSON_DEPTH = 128;

/**
 * The offset of the first bracket that nests deeper than `max`, or -1. Scans the raw text without parsing it (a
 * parser could overflow on the very input being checked), counting `{` and `[` outside strings; malformed JSON is
 * left for JSON.parse to report.
 */
export function jsonDepthExceededAt(text: string, max: number): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \\ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > max) return i;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) depth--;
  }
  return -1;
}

export interface ReadResult {
  notebook: Notebook;
  /** What was repaired or tolerated (missing ids generated, newer minor version, ...). */
  warnings: string[];
}

export type ValidationResult =
  | { ok: true; notebook: Notebook; warnings: string[] }
  | { ok: false; code: NotebookErrorCode; issues: NotebookIssue[] };

const KNOWN_CELL_TYPES = ["code", "markdown", "raw"];

function pathString(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function withPosition(issue: NotebookIssue, rawPath: readonly (string | number)[], text: string | undefined): NotebookIssue {
  if (text === undefined) return issue;
  // The path may end at a missing key: fall back to the closest enclosing value that exists.
  for (let n = rawPath.length; n >= 0; n--) {
    const pos = locateJsonPath(text, rawPath.slice(0, n));
    if (pos) return { ...issue, line: pos.line, column: pos.column };
  }
  return issue;
}

function isMissing(value: unknown, path: readonly (string | number)[]): boolean {
  let current = value;
  for (const [i, key] of path.entries()) {
    if (typeof current !== "object" || current === null) return false;
    if (!(key in current)) return i === path.length - 1;
    current = (current as Record<string | number, unknown>)[key];
  }
  return false;
}

function zodIssues(error: z.ZodError, value: unknown, text: string | undefined): NotebookIssue[] {
  return error.issues.map((issue) => {
    const rawPath = issue.path.filter((k): k is string | number => typeof k !== "symbol");
    let message = issue.message;
    if (issue.code === "unrecognized_keys") message = `unexpected field(s) ${issue.keys.map((k) => JSON.stringify(k)).join(", ")}`;
    else if (rawPath.length > 0 && isMissing(value, rawPath)) {
      message = `missing required field${issue.code === "invalid_type" ? ` (expected ${issue.expected})` : ""}`;
    } else if (issue.code === "invalid_union") {
      const options = issue.errors.map((branch) => branch[0]?.message).filter((m): m is string => Boolean(m));
      message = `invalid value: ${[...new Set(options)].join(", or ")}`;
    }
    return withPosition({ path: pathString(rawPath), message }, rawPath, text);
  });
}

/**
 * Checks a parsed JSON value against nbformat 4 (4.0-4.5) without changing it. `text`, when given,
 * is the JSON it came from, used to add line/column positions to issues.
 */
export function validateNotebook(value: unknown, options: { text?: string } = {}): ValidationResult {
  const { text } = options;
  if (!isRecord(value)) {
    return { ok: false, code: "not-a-notebook", issues: [{ path: "", message: `expected a JSON object, got ${Array.isArray(value) ? "an array" : value === null ? "null" : typeof value}` }] };
  }
  if (!("nbformat" in value) || !("cells" in value)) {
    const missing = ["nbformat", "cells"].filter((k) => !(k in value));
    return { ok: false, code: "not-a-notebook", issues: [{ path: "", message: `missing field(s) ${missing.join(", ")}; a notebook has nbformat, nbformat_minor, metadata and cells` }] };
  }
  if (value.nbformat !== 4) {
    return {
      ok: false,
      code: "unsupported-version",
      issues: [withPosition({ path: "nbformat", message: `nbformat ${JSON.stringify(value.nbformat)} is not supported (expected 4; convert the notebook with Jupyter first)` }, ["nbformat"], text)],
    };
  }
  const warnings: string[] = [];
  if (typeof value.nbformat_minor === "number" && value.nbformat_minor > MAX_MINOR) {
    warnings.push(`nbformat 4.${value.nbformat_minor} is newer than 4.${MAX_MINOR}; validated as 4.${MAX_MINOR}`);
  }
  const cellTypeIssues: NotebookIssue[] = [];
  if (Array.isArray(value.cells)) {
    value.cells.forEach((cell: unknown, index) => {
      if (!isRecord(cell)) return;
      const type = cell.cell_type;
      if (!KNOWN_CELL_TYPES.includes(String(type))) {
        cellTypeIssues.push(
          withPosition(
            { path: `cells[${index}].cell_type`, message: type === undefined ? "missing cell_type (expected code, markdown or raw)" : `unknown cell type ${JSON.stringify(type)} (expected code, markdown or raw)` },
            ["cells", index, "cell_type"],
            text,
          ),
        );
      }
    });
  }
  if (cellTypeIssues.length > 0) return { ok: false, code: "invalid", issues: cellTypeIssues };

  const parsed = notebookSchema.safeParse(value);
  if (!parsed.success) return { ok: false, code: "invalid", issues: zodIssues(parsed.error, value, text) };

  // Keep the caller's object (zod rebuilds objects and would reorder metadata keys).
  const notebook = value as Notebook;
  const idIssues: NotebookIssue[] = [];
  const seen = new Set<string>();
  notebook.cells.forEach((cell, index) => {
    const at = (message: string) => withPosition({ path: `cells[${index}]${cell.id === undefined ? "" : ".id"}`, message }, ["cells", index, ...(cell.id === undefined ? [] : ["id"])], text);
    if (notebook.nbformat_minor >= CELL_ID_MINOR) {
      if (cell.id === undefined) idIssues.push(at(`missing cell id (required from nbformat 4.${CELL_ID_MINOR})`));
      else if (seen.has(cell.id)) idIssues.push(at(`duplicate cell id ${JSON.stringify(cell.id)}`));
    } else if (cell.id !== undefined) {
      idIssues.push(at(`cell ids are not allowed before nbformat 4.${CELL_ID_MINOR} (this notebook is 4.${notebook.nbformat_minor})`));
    }
    if (cell.id !== undefined) seen.add(cell.id);
  });
  if (idIssues.length > 0) return { ok: false, code: "invalid", issues: idIssues };
  return { ok: true, notebook, warnings };
}

function byteLength(input: string | Uint8Array): number {
  return typeof input === "string" ? new TextEncoder().encode(input).length : input.byteLength;
}

/** Parses and validates an `.ipynb` (bytes or text). Throws NotebookFormatError with positions. */
export function parseNotebook(input: string | Uint8Array, options: ReadOptions = {}): ReadResult {
  const { maxBytes, repair = true, fileName, maxDepth = MAX_JSON_DEPTH } = options;
  const fail = (code: NotebookErrorCode, issues: NotebookIssue[]): never => {
    throw new NotebookFormatError(code, issues, fileName);
  };
  if (maxBytes !== undefined) {
    const size = byteLength(input);
    if (size > maxBytes) fail("too-large", [{ path: "", message: `${size} bytes is over the limit of ${maxBytes} bytes` }]);
  }
  let text: string;
  if (typeof input === "string") text = input;
  else {
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(input);
    } catch {
      return fail("not-utf8", [{ path: "", message: "the file is not valid UTF-8 text" }]);
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);

  const tooDeep = jsonDepthExceededAt(text, maxDepth);
  if (tooDeep >= 0) {
    const at = positionAt(text, tooDeep);
    fail("too-deep", [{ path: "", message: `arrays and objects nest more than ${maxDepth} levels deep (the limit is ${maxDepth})`, line: at.line, column: at.column }]);
  }

  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const located = locateJsonError(text);
    const message = located?.message ?? (error instanceof Error ? error.message : String(error));
    return fail("not-json", [{ path: "", message, line: located?.position.line, column: located?.position.column }]);
  }

  let candidate = value;
  const warnings: string[] = [];
  if (repair && isRecord(value) && value.nbformat === 4 && Array.isArray(value.cells)) {
    // Repairs happen on a structurally valid notebook only, so first validate ignoring ids.
    const cells = value.cells as unknown[];
    const hasIds = cells.some((c) => isRecord(c) && "id" in c);
    const minor = value.nbformat_minor;
    const firstPass = validateNotebook({ ...value, nbformat_minor: typeof minor === "number" && minor < CELL_ID_MINOR && hasIds ? CELL_ID_MINOR : minor }, { text });
    if (firstPass.ok || firstPass.issues.every((i) => /cell id/.test(i.message))) {
      const nb = value as Notebook;
      if (typeof minor === "number" && minor < CELL_ID_MINOR && hasIds) warnings.push(...upgradeToLatestMinor(nb));
      else if (typeof minor === "number" && minor >= CELL_ID_MINOR) warnings.push(...repairCellIds(nb.cells));
      candidate = nb;
    }
  }
  const result = validateNotebook(candidate, { text });
  if (!result.ok) return fail(result.code, result.issues);
  return { notebook: result.notebook, warnings: [...warnings, ...result.warnings] };
}

/** Parses and validates an `.ipynb`; returns the notebook (see parseNotebook for warnings). */
export function readNotebook(input: string | Uint8Array, options: ReadOptions = {}): Notebook {
  return parseNotebook(input, options).notebook;
}
