/** Validation of a student's `submission.csv` (`id,label`, label = P(dog)). */

export const DEFAULT_MAX_SUBMISSION_BYTES = 5 * 1024 * 1024;
const MAX_LINE_PROBLEMS = 10;
const MAX_IDS_LISTED = 5;

export interface SubmissionProblem {
  /** 1-based line number in the file, when the problem is on one line. */
  line?: number;
  message: string;
}

export type SubmissionValidation =
  | { ok: true; predictions: Map<number, number> }
  | {
      ok: false;
      problems: SubmissionProblem[];
      /** Total number of line problems (problems lists only the first few). */
      lineProblemCount: number;
      missing: { count: number; first: number[] };
      duplicates: { count: number; first: number[] };
      unknown: { count: number; first: number[] };
    };

// A plain decimal number: no NaN, Infinity, hex, empty strings or thousands separators.
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const ID = /^\d{1,15}$/;

/**
 * Checks the whole file and reports the first problems with line numbers: header exactly `id,label`
 * (a UTF-8 BOM and CRLF line ends are tolerated), no extra columns, every expected id exactly once,
 * labels numbers in [0, 1].
 */
export function validateSubmission(
  input: string | Buffer,
  expectedIds: ReadonlySet<number>,
  opts: { maxBytes?: number } = {},
): SubmissionValidation {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_SUBMISSION_BYTES;
  const size = typeof input === "string" ? Buffer.byteLength(input) : input.length;
  const empty = { count: 0, first: [] as number[] };
  const fail = (problems: SubmissionProblem[]): SubmissionValidation => ({
    ok: false,
    problems,
    lineProblemCount: problems.length,
    missing: empty,
    duplicates: empty,
    unknown: empty,
  });
  if (size > maxBytes) {
    return fail([{ message: `file is ${size} bytes; the limit is ${maxBytes} bytes` }]);
  }
  const text = (typeof input === "string" ? input : input.toString("utf8")).replace(/^\uFEFF/, "");
  const lines = text.split(/\r?\n/);
  // One final newline (or several trailing empty lines) is fine.
  while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  if (lines.length === 0) return fail([{ line: 1, message: 'file is empty; expected the header "id,label"' }]);

  const header = lines[0]?.trim();
  if (header !== "id,label") {
    return fail([{ line: 1, message: `header must be exactly "id,label", got ${JSON.stringify(lines[0]?.slice(0, 80))}` }]);
  }

  const problems: SubmissionProblem[] = [];
  let lineProblemCount = 0;
  const problem = (line: number, message: string) => {
    lineProblemCount++;
    if (problems.length < MAX_LINE_PROBLEMS) problems.push({ line, message });
  };
  const predictions = new Map<number, number>();
  const duplicateIds: number[] = [];
  const unknownIds: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = lines[i] ?? "";
    if (line.trim() === "") {
      problem(lineNo, "empty line");
      continue;
    }
    const fields = line.split(",");
    if (fields.length !== 2) {
      problem(lineNo, `expected 2 columns (id,label), got ${fields.length}`);
      continue;
    }
    const idText = (fields[0] ?? "").trim();
    const labelText = (fields[1] ?? "").trim();
    if (!ID.test(idText)) {
      problem(lineNo, `id must be a whole number, got ${JSON.stringify(idText.slice(0, 40))}`);
      continue;
    }
    const id = Number(idText);
    if (!NUMBER.test(labelText)) {
      problem(lineNo, `label must be a number in [0, 1] (the probability of "dog"), got ${JSON.stringify(labelText.slice(0, 40))}`);
      continue;
    }
    const p = Number(labelText);
    if (!Number.isFinite(p) || p < 0 || p > 1) {
      problem(lineNo, `label must be in [0, 1], got ${labelText}`);
      continue;
    }
    if (!expectedIds.has(id)) {
      unknownIds.push(id);
      problem(lineNo, `unknown id ${id}`);
      continue;
    }
    if (predictions.has(id)) {
      duplicateIds.push(id);
      problem(lineNo, `duplicate id ${id}`);
      continue;
    }
    predictions.set(id, p);
  }
  const missingIds: number[] = [];
  for (const id of expectedIds) if (!predictions.has(id)) missingIds.push(id);
  missingIds.sort((a, b) => a - b);
  if (missingIds.length > 0) {
    problems.push({
      message: `${missingIds.length} test id(s) missing, e.g. ${missingIds.slice(0, MAX_IDS_LISTED).join(", ")}`,
    });
  }
  if (lineProblemCount === 0 && missingIds.length === 0) return { ok: true, predictions };
  const summary = (ids: number[]) => ({ count: ids.length, first: ids.slice(0, MAX_IDS_LISTED) });
  return {
    ok: false,
    problems,
    lineProblemCount,
    missing: summary(missingIds),
    duplicates: summary(duplicateIds),
    unknown: summary(unknownIds),
  };
}

/** One readable paragraph for a failed validation (used as the job's failure message). */
export function describeSubmissionProblems(v: Extract<SubmissionValidation, { ok: false }>): string {
  const out = v.problems.map((p) => (p.line !== undefined ? `line ${p.line}: ${p.message}` : p.message));
  if (v.lineProblemCount > v.problems.filter((p) => p.line !== undefined).length) {
    out.push(`... ${v.lineProblemCount} line problem(s) in all`);
  }
  if (v.duplicates.count > 0) out.push(`${v.duplicates.count} duplicate id(s), e.g. ${v.duplicates.first.join(", ")}`);
  if (v.unknown.count > 0) out.push(`${v.unknown.count} unknown id(s), e.g. ${v.unknown.first.join(", ")}`);
  return `submission.csv is invalid:\n${out.map((l) => `  - ${l}`).join("\n")}`;
}
