import type { PrismaClient } from "@course/db";
import { readNotebook } from "@course/notebook";

/** A line of the notebook's own output, as the student sees it while it runs. */
export interface OutputLine {
  at: Date;
  stream: "stdout" | "stderr";
  text: string;
}

/** "Running In [k] of n": k the execution count the executed notebook will give the cell, n its code cells that run. */
export interface CellProgress {
  cell: number;
  count: number;
}

interface RawLine {
  at: Date;
  stream: string;
  text: string;
}

/** Raw lines read to find the last output lines among the executor's events. */
export const RAW_LINES_SCANNED = 400;

type ExecutorEvent = { event?: unknown; name?: unknown; text?: unknown; ename?: unknown; evalue?: unknown; executionCount?: unknown };

function parseEvent(text: string): ExecutorEvent | null {
  if (!text.startsWith("{")) return null;
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" && "event" in value ? (value) : null;
  } catch {
    return null;
  }
}

/**
 * The notebook's own output from the runner's raw log: the text of the executor's `stream` events (prints, progress
 * lines) and the errors it raised. The runner's lines and the executor's other events (cell-start, heartbeat,
 * display...) are machinery, not what the student wrote, so they are left out. Plain lines on stdout/stderr (the
 * executor's own warnings) are kept as they are.
 */
export function notebookOutput(lines: readonly RawLine[]): OutputLine[] {
  const out: OutputLine[] = [];
  const partial: Record<"stdout" | "stderr", { at: Date; text: string } | null> = { stdout: null, stderr: null };
  const push = (at: Date, stream: "stdout" | "stderr", text: string) => {
    // Stream chunks are not lines: join them and split on newlines, as a terminal would show them.
    const pending = partial[stream];
    const joined = (pending?.text ?? "") + text;
    const parts = joined.replace(/\r\n/g, "\n").split("\n");
    const rest = parts.pop()!;
    for (const p of parts) out.push({ at: pending?.at ?? at, stream, text: p.slice(p.lastIndexOf("\r") + 1) });
    partial[stream] = rest === "" ? null : { at, text: rest };
  };
  for (const line of lines) {
    if (line.stream !== "stdout" && line.stream !== "stderr") continue;
    const event = parseEvent(line.text);
    if (!event) {
      out.push({ at: line.at, stream: line.stream, text: line.text });
      continue;
    }
    if (event.event === "stream" && typeof event.text === "string") push(line.at, event.name === "stderr" ? "stderr" : "stdout", event.text);
    else if (event.event === "error" && typeof event.ename === "string") {
      out.push({ at: line.at, stream: "stderr", text: `${event.ename}: ${typeof event.evalue === "string" ? event.evalue : ""}` });
    }
  }
  for (const stream of ["stdout", "stderr"] as const) {
    const pending = partial[stream];
    if (pending) out.push({ at: pending.at, stream, text: pending.text.slice(pending.text.lastIndexOf("\r") + 1) });
  }
  return out;
}

/** Code cells that the executor runs (it skips blank ones and numbers the rest 1, 2, ...). */
export function runnableCodeCells(notebookText: string): number | null {
  try {
    return readNotebook(notebookText).cells.filter((c) => c.cell_type === "code" && (Array.isArray(c.source) ? c.source.join("") : c.source).trim() !== "").length;
  } catch {
    return null;
  }
}

/** The cell running now, from the last `cell-start` event (its executionCount) or a plain "cell k/n" line. */
export function progressOf(lines: readonly string[], codeCells: number | null): CellProgress | null {
  for (let i = lines.length - 1; i >= 0; i--) {
    const text = lines[i]!;
    const event = parseEvent(text);
    if (event?.event === "cell-start" && typeof event.executionCount === "number") {
      return { cell: event.executionCount, count: Math.max(codeCells ?? event.executionCount, event.executionCount) };
    }
    const plain = /\bcell\s+(\d+)\s*\/\s*(\d+)/i.exec(text);
    if (!event && plain) return { cell: Number(plain[1]), count: Number(plain[2]) };
  }
  return null;
}

/** The last `tail` output lines of a job's current attempt and, while it runs, the cell it is on. */
export async function liveLog(prisma: PrismaClient, job: { id: string; attempts: number; running: boolean }, tail: number) {
  const where = { jobId: job.id, attempt: job.attempts };
  const raw = (await prisma.jobLog.findMany({ where, orderBy: { id: "desc" }, take: RAW_LINES_SCANNED, select: { at: true, stream: true, text: true } })).reverse();
  const logTail = notebookOutput(raw).slice(-tail);
  if (!job.running) return { logTail, progress: null };
  // The last cell-start may be further back than the scanned lines when a cell prints a lot.
  const started = await prisma.jobLog.findFirst({ where: { ...where, text: { contains: '"event":"cell-start"' } }, orderBy: { id: "desc" }, select: { text: true } });
  const row = await prisma.job.findUnique({ where: { id: job.id }, select: { notebook: true } });
  const codeCells = row ? runnableCodeCells(row.notebook) : null;
  return { logTail, progress: progressOf([...(started ? [started.text] : []), ...raw.map((l) => l.text)], codeCells) };
}
