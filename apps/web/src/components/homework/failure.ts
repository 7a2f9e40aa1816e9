import type { Notebook } from "@course/notebook";

/** One line of the failing cell's source, numbered from 1; `error` marks the line the traceback points at. */
export interface SourceLine {
  line: number;
  text: string;
  error: boolean;
}

/** The exception a notebook stopped on, located in its cell. */
export interface NotebookException {
  ename: string;
  evalue: string;
  /** The cell's execution count (what the notebook shows as `In [n]`); null when the cell never got one. */
  executionCount: number | null;
  /** Position in the notebook's cells (for a `#cell-<index>` link); null when unknown. */
  cellIndex: number | null;
  /** The traceback's line in the cell (1-based), when it names one. */
  line: number | null;
  /** A few lines around `line` (or the start of the cell). */
  source: SourceLine[];
}

/** What the student reads about a failed or cancelled run. */
export interface FailureExplanation {
  title: string;
  /** What happened, in plain words. */
  summary: string;
  /** What to do about it. */
  next: string;
  /** Present when the notebook itself raised (or a cell hit a limit and the notebook says which). */
  exception: NotebookException | null;
}

const CONTEXT_BEFORE = 3;
const CONTEXT_AFTER = 2;
const CELL_LINE = /Cell In\[(\d+)\], line (\d+)/g;
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;

const text = (source: string | string[]) => (Array.isArray(source) ? source.join("") : source);

/** The innermost "Cell In[n], line m" of a traceback (the executor prints outer frames first). */
function tracebackLine(traceback: readonly string[], executionCount: number | null): number | null {
  let found: number | null = null;
  for (const entry of traceback) {
    for (const m of entry.replace(ANSI, "").matchAll(CELL_LINE)) {
      if (executionCount === null || Number(m[1]) === executionCount) found = Number(m[2]);
    }
  }
  return found;
}

function sourceAround(source: string, line: number | null): SourceLine[] {
  const lines = source.replace(/\r\n/g, "\n").replace(/\n$/, "").split("\n");
  const from = line === null ? 1 : Math.max(1, line - CONTEXT_BEFORE);
  const to = line === null ? Math.min(lines.length, CONTEXT_BEFORE + CONTEXT_AFTER + 1) : Math.min(lines.length, line + CONTEXT_AFTER);
  const out: SourceLine[] = [];
  for (let n = from; n <= to; n++) out.push({ line: n, text: lines[n - 1] ?? "", error: n === line });
  return out;
}

/** The first error output of an executed notebook, with its cell. */
export function exceptionInNotebook(notebook: Notebook | null): NotebookException | null {
  if (!notebook) return null;
  for (const [cellIndex, cell] of notebook.cells.entries()) {
    if (cell.cell_type !== "code") continue;
    for (const output of cell.outputs) {
      if (output.output_type !== "error") continue;
      const executionCount = cell.execution_count ?? null;
      const line = tracebackLine(output.traceback, executionCount);
      return { ename: output.ename, evalue: output.evalue, executionCount, cellIndex, line, source: sourceAround(text(cell.source), line) };
    }
  }
  return null;
}

interface ErrorEvent {
  event: "error";
  index: number | null;
  ename: string;
  evalue: string;
  traceback?: string[];
}

/** The executor's last `error` event among raw log or message lines (when no executed notebook came back). */
export function exceptionInEvents(lines: readonly string[], submitted: Notebook | null): NotebookException | null {
  for (let i = lines.length - 1; i >= 0; i--) {
    const raw = lines[i]!;
    const start = raw.indexOf('{"event":"error"');
    if (start < 0) continue;
    let event: ErrorEvent;
    try {
      event = JSON.parse(raw.slice(start)) as ErrorEvent;
    } catch {
      continue;
    }
    if (typeof event.ename !== "string" || typeof event.evalue !== "string") continue;
    const traceback = Array.isArray(event.traceback) ? event.traceback.filter((t): t is string => typeof t === "string") : [];
    const counted = traceback.join("\n").replace(ANSI, "").match(/Cell In\[(\d+)\]/);
    const executionCount = counted ? Number(counted[1]) : null;
    const line = tracebackLine(traceback, executionCount);
    const cellIndex = typeof event.index === "number" ? event.index : null;
    const cell = cellIndex !== null ? submitted?.cells[cellIndex] : undefined;
    return { ename: event.ename, evalue: event.evalue, executionCount, cellIndex, line, source: cell ? sourceAround(text(cell.source), line) : [] };
  }
  return null;
}

const LIMIT_NEXT = "Fix that in your notebook, run it from top to bottom on your machine, then submit it again.";

/** Plain words for every way a run can end without a score. */
const REASONS: Record<string, { title: string; summary: string; next: string }> = {
  "notebook error": {
    title: "Your notebook stopped with an error",
    summary: "A cell raised an error, so the cells after it did not run and no score was computed.",
    next: LIMIT_NEXT,
  },
  timeout: {
    title: "Your notebook ran out of time",
    summary: "It was still running when the time limit was reached, so it was stopped.",
    next: "Make it faster: train for fewer epochs, use fewer images while you experiment, and remove slow cells you do not need. Then submit it again.",
  },
  "memory limit": {
    title: "Your notebook used too much memory",
    summary: "It needed more memory than a graded run may use, so it was stopped.",
    next: "Keep less in memory at once: smaller batches, fewer images loaded together, and drop large arrays you no longer need. Then submit it again.",
  },
  "output limit": {
    title: "Your notebook printed too much",
    summary: "Its cells wrote more output than a graded run keeps, so it was stopped.",
    next: "Print summaries instead of every item (one line per epoch, not per image), then submit it again.",
  },
  "file size limit": {
    title: "Your notebook wrote a file that is too large",
    summary: "A file it wrote went over the size limit of a graded run.",
    next: "Write only submission.csv (and small files); do not save models or image copies. Then submit it again.",
  },
  "process limit": {
    title: "Your notebook started too many processes",
    summary: "It started more processes or threads than a graded run allows.",
    next: "Do not start subprocesses or worker pools; the course library already uses the machine well. Then submit it again.",
  },
  "disk limit": {
    title: "Your notebook wrote too much to disk",
    summary: "It filled the disk space a graded run has.",
    next: "Write only submission.csv (and small files), then submit it again.",
  },
  "no submission": {
    title: "No submission.csv was written",
    summary: "Your notebook ran to the end but did not write submission.csv, so there was nothing to score.",
    next: 'End your notebook with the template\'s last cell: predict on the test images and call writeSubmission(predictions, "submission.csv"). Then submit it again.',
  },
  "invalid submission": {
    title: "submission.csv could not be scored",
    summary: "Your notebook wrote submission.csv, but it is not in the expected form (details below).",
    next: "It needs the header id,label and one row per test image, with label the probability (0 to 1) that the image is a dog. writeSubmission from the template writes exactly that.",
  },
  "invalid notebook": {
    title: "This file is not a notebook the runner can execute",
    summary: "The runner could not read it as a Jupyter notebook with TypeScript cells.",
    next: "Start again from the homework's template notebook, save it from Jupyter (or your editor) as .ipynb, and submit it again.",
  },
  cancelled: {
    title: "This run was cancelled",
    summary: "It was stopped before it finished (by you, or by the course staff).",
    next: "Submit the notebook again when you want it graded.",
  },
  "unknown benchmark": {
    title: "The grader is not set up for this homework yet",
    summary: "The runner does not have this homework's benchmark. This is a problem on our side, not in your notebook.",
    next: "Tell the course staff; submit again once they say it is fixed.",
  },
  "sandbox error": {
    title: "The grader had a problem (not your notebook)",
    summary: "The runner could not start or finish the sandbox your notebook runs in, on every attempt.",
    next: "Submit it again later. If it keeps happening, tell the course staff.",
  },
  "internal error": {
    title: "The grader had a problem (not your notebook)",
    summary: "Something went wrong on our side while grading it, on every attempt.",
    next: "Submit it again later. If it keeps happening, tell the course staff.",
  },
};

const UNKNOWN = { title: "The run did not finish", summary: "It ended without a score.", next: "Look at the details below, then submit it again." };

/**
 * What went wrong, for the student: the exception with its cell (`In [n]`) and source when the notebook raised, else
 * the limit or check that stopped it in plain words, with what to do next.
 */
export function explainFailure(input: { reason: string | null; state: "failed" | "cancelled"; message: string | null; executed: Notebook | null; submitted: Notebook | null }): FailureExplanation {
  const reason = input.state === "cancelled" ? "cancelled" : (input.reason ?? "notebook error");
  const words = REASONS[reason] ?? UNKNOWN;
  const exception =
    reason === "cancelled" ? null : (exceptionInNotebook(input.executed) ?? exceptionInEvents((input.message ?? "").split("\n"), input.submitted));
  if (reason === "notebook error" && exception) {
    return { ...words, title: `${exception.ename} in ${exception.executionCount !== null ? `In [${exception.executionCount}]` : "your notebook"}`, exception };
  }
  return { ...words, exception };
}

/** The raw record of a failure (reason and runner message), shown folded away under "Technical details". */
export function failureDetails(reason: string | null, message: string | null): string | null {
  const parts = [reason ? `reason: ${reason}` : null, message].filter((p): p is string => Boolean(p));
  return parts.length > 0 ? parts.join("\n") : null;
}
