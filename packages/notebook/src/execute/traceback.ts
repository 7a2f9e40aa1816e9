// Maps a kernel error's V8 stack back to the cells' own source with the transpile source maps and
// renders an IPython-like traceback ("Cell In[3], line 5" plus the code around it).
import { LEAST_UPPER_BOUND, originalPositionFor, TraceMap } from "@jridgewell/trace-mapping";
import type { SerializedError } from "./protocol";
import type { CellSyntaxError } from "./transpile";

export function cellFileName(executionCount: number): string {
  return `Cell In[${executionCount}]`;
}

interface CellRecord {
  map: TraceMap;
  firstLineOffset: number;
  sourceLines: string[];
}

export interface CellLocation {
  executionCount: number;
  line: number;
  column: number;
}

export class CellSourceMaps {
  private readonly cells = new Map<number, CellRecord>();

  add(executionCount: number, source: string, map: string, firstLineOffset: number): void {
    this.cells.set(executionCount, { map: new TraceMap(map), firstLineOffset, sourceLines: source.split(/\r?\n/) });
  }

  sourceLines(executionCount: number): string[] | undefined {
    return this.cells.get(executionCount)?.sourceLines;
  }

  /** Cell position (1-based line and column) for a generated position (1-based, as V8 prints). */
  original(executionCount: number, line: number, column: number): CellLocation | undefined {
    const cell = this.cells.get(executionCount);
    if (!cell) return undefined;
    const col0 = Math.max(0, column - 1 - (line === 1 ? cell.firstLineOffset : 0));
    let pos = originalPositionFor(cell.map, { line, column: col0 });
    // V8 may point into generated code with no mapping of its own (e.g. the added `globalThis.`).
    if (pos.line === null) pos = originalPositionFor(cell.map, { line, column: col0, bias: LEAST_UPPER_BOUND });
    if (pos.line === null) return undefined;
    return { executionCount, line: pos.line, column: pos.column + 1 };
  }
}

const FRAME_LOCATION = /^(\s*at )(.*?)(?:\((.+):(\d+):(\d+)\)|(\S.*):(\d+):(\d+))$/;
const CELL_FILE = /^Cell In\[(\d+)\]$/;

function isInternalFrame(location: string): boolean {
  return location.startsWith("node:") || /[\\/]src[\\/]execute[\\/]kernel(-entry)?\.(ts|js)$/.test(location) || /[\\/]node_modules[\\/]tsx[\\/]/.test(location);
}

function codeContext(maps: CellSourceMaps, loc: CellLocation): string[] {
  const lines = maps.sourceLines(loc.executionCount);
  const out = [`${cellFileName(loc.executionCount)}, line ${loc.line}`];
  if (!lines) return out;
  const width = String(loc.line + 1).length;
  for (let n = Math.max(1, loc.line - 2); n <= Math.min(lines.length, loc.line + 1); n++) {
    const marker = n === loc.line ? "----> " : "      ";
    out.push(`${marker}${String(n).padStart(width)} ${lines[n - 1] ?? ""}`);
  }
  return out;
}

export interface RenderedError {
  ename: string;
  evalue: string;
  traceback: string[];
  /** The innermost cell location the error points at, if any. */
  location?: CellLocation;
}

/** Traceback for an error thrown (or rejected) while a cell ran. */
export function renderKernelError(error: SerializedError, maps: CellSourceMaps): RenderedError {
  const ename = error.isError ? error.name || "Error" : "Uncaught";
  const evalue = error.message;
  const frames: string[] = [];
  let location: CellLocation | undefined;

  const stackLines = error.stack.split("\n");
  // V8 syntax errors from compiling a script start with "file:line" and the offending code.
  const syntaxHead = /^(Cell In\[(\d+)\]):(\d+)$/.exec(stackLines[0] ?? "");
  if (syntaxHead) {
    const count = Number(syntaxHead[2]);
    location = maps.original(count, Number(syntaxHead[3]), 1) ?? undefined;
  }
  for (const raw of stackLines) {
    const m = FRAME_LOCATION.exec(raw);
    if (!m) continue;
    const [, at = "    at ", fnPart = "", file1, line1, col1, file2, line2, col2] = m;
    const file = file1 ?? file2 ?? "";
    const line = Number(line1 ?? line2);
    const column = Number(col1 ?? col2);
    if (isInternalFrame(file)) continue;
    const cell = CELL_FILE.exec(file);
    if (!cell) {
      frames.push(raw);
      continue;
    }
    const count = Number(cell[1]);
    const mapped = maps.original(count, line, column);
    const where = mapped ? `${cellFileName(count)}, line ${mapped.line}, column ${mapped.column}` : `${cellFileName(count)}`;
    const fn = fnPart.trim();
    frames.push(fn && fn !== "<anonymous>" ? `${at}${fn} (${where})` : `${at}${where}`);
    if (mapped && !location) location = mapped;
  }

  const header = error.isError ? `${ename}: ${evalue}` : `Uncaught ${evalue}`;
  const traceback = [...header.split("\n"), ...frames];
  if (location) traceback.push("", ...codeContext(maps, location));
  return { ename, evalue, traceback, location };
}

/** Traceback for a cell that TypeScript could not parse. */
export function renderSyntaxErrors(errors: CellSyntaxError[], executionCount: number, source: string): RenderedError {
  const first = errors[0] ?? { message: "syntax error", line: 1, column: 1 };
  const maps = new CellSourceMaps();
  const lines = source.split(/\r?\n/);
  const traceback = [`SyntaxError: ${first.message}`, ...errors.map((e) => `    at ${cellFileName(executionCount)}, line ${e.line}, column ${e.column}: ${e.message}`), ""];
  const ctx = codeContext(maps, { executionCount, line: first.line, column: first.column });
  traceback.push(ctx[0] ?? "");
  const width = String(first.line + 1).length;
  for (let n = Math.max(1, first.line - 2); n <= Math.min(lines.length, first.line + 1); n++) {
    traceback.push(`${n === first.line ? "----> " : "      "}${String(n).padStart(width)} ${lines[n - 1] ?? ""}`);
    if (n === first.line) traceback.push(`${" ".repeat(6 + width + first.column)}^`);
  }
  return { ename: "SyntaxError", evalue: first.message, traceback, location: { executionCount, line: first.line, column: first.column } };
}
