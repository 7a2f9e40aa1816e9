import { NotebookFormatError, validateNotebook } from "./read";
import type { Notebook } from "./schema";

export interface WriteOptions {
  /** JSON indent; Jupyter writes 1. */
  indent?: number;
  /** Sort object keys like Jupyter's writer; default false keeps the order the notebook had. */
  sortKeys?: boolean;
  /** Validate before writing (default true): never write something Jupyter would reject. */
  validate?: boolean;
}

function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, sortDeep(v)]));
  }
  return value;
}

/** Serialises a notebook as `.ipynb` text (with a final newline). Sources keep their string/list form. */
export function writeNotebook(nb: Notebook, options: WriteOptions = {}): string {
  const { indent = 1, sortKeys = false, validate = true } = options;
  if (validate) {
    const result = validateNotebook(nb);
    if (!result.ok) throw new NotebookFormatError(result.code, result.issues);
  }
  return `${JSON.stringify(sortKeys ? sortDeep(nb) : nb, null, indent)}\n`;
}
