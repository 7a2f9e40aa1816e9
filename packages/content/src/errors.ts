/**
 * One thing wrong with the content, precise enough to fix without guessing:
 * which file, where in it (line and/or front matter field) and what was expected.
 */
export interface ContentProblem {
  /** Path as shown to the user (relative to the working directory when possible). */
  file: string;
  /** 1-based line in `file`, when known. */
  line?: number;
  /** Front matter field (dotted path, e.g. `chapters.2.title`) or JSON path, when relevant. */
  field?: string;
  message: string;
}

/**
 * `content/lessons/lesson-1.mdx: front matter field "youtube_id": expected ..., got "abc" (line 4)`.
 * Problems without a field read `file:line: message`.
 */
export function formatProblem(problem: ContentProblem): string {
  if (problem.field !== undefined) {
    const line = problem.line !== undefined ? ` (line ${problem.line})` : "";
    return `${problem.file}: front matter field "${problem.field}": ${problem.message}${line}`;
  }
  const where = problem.line !== undefined ? `${problem.file}:${problem.line}` : problem.file;
  return `${where}: ${problem.message}`;
}

/** Thrown when content is invalid; carries every problem found, not just the first. */
export class ContentError extends Error {
  readonly problems: readonly ContentProblem[];

  constructor(problems: readonly ContentProblem[]) {
    const head = problems.length === 1 ? "1 content problem" : `${problems.length} content problems`;
    super(`${head}:\n${problems.map((p) => `  ${formatProblem(p)}`).join("\n")}`);
    this.name = "ContentError";
    this.problems = problems;
  }
}

/** A problem in text being parsed (chapter list, transcript), with its 1-based line. */
export interface ParseIssue {
  line: number;
  message: string;
}

/** Thrown by the chapter and transcript parsers; lists every malformed line at once. */
export class ParseError extends Error {
  readonly issues: readonly ParseIssue[];
  readonly source: string;

  constructor(source: string, issues: readonly ParseIssue[]) {
    super(`${source}: ${issues.length === 1 ? "1 problem" : `${issues.length} problems`}\n${issues.map((i) => `  line ${i.line}: ${i.message}`).join("\n")}`);
    this.name = "ParseError";
    this.source = source;
    this.issues = issues;
  }

  /** The same issues as content problems attributed to `file`. */
  toProblems(file: string): ContentProblem[] {
    return this.issues.map((i) => ({ file, line: i.line, message: i.message }));
  }
}
