// course-notebook: run or validate a notebook from the command line. Progress goes out as JSON
// lines (one event per line) so a parent process (the grading runner) can follow it.
import { createWriteStream, readFileSync, renameSync, writeFileSync, type WriteStream } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import type { ExecutionEvent } from "./execute/index";
import { NotebookFormatError, parseNotebook } from "./read";
import { writeNotebook } from "./write";

export const EXIT = { ok: 0, cellError: 1, timeLimit: 2, invalidNotebook: 3, aborted: 4, usage: 64 } as const;

const USAGE = `Usage:
  course-notebook run <in.ipynb> --out <out.ipynb> [options]
  course-notebook validate <file.ipynb> [--max-bytes n]

Options for run:
  --out <file>           where to write the executed notebook (required)
  --cwd <dir>            working directory of the notebook's code (default: current directory)
  --cell-timeout <s>     time limit per cell in seconds
  --timeout <s>          time limit for the whole notebook in seconds
  --max-output <bytes>   total bytes of outputs kept (default 10485760)
  --max-bytes <bytes>    refuse input notebooks larger than this
  --max-memory <MiB>     heap limit of the kernel process
  --heartbeat <s>        heartbeat event interval while a cell runs (default 10, 0 = off)
  --resolve-dir <dir>    extra directory to resolve imports from (repeatable)
  --events <where>       JSON-lines progress events: stdout (default), stderr, fd:<n>, none, or a file path

Exit codes: 0 all cells ran, 1 a cell failed, 2 a time limit was hit, 3 the input is not a valid
notebook, 4 aborted (SIGTERM/SIGINT), 64 usage error.`;

class UsageError extends Error {}

const seconds = (flag: string) =>
  z.coerce.number({ error: `${flag} expects a number of seconds` }).positive(`${flag} must be more than 0 seconds`).optional();
const positiveInt = (flag: string) => z.coerce.number({ error: `${flag} expects a whole number` }).int(`${flag} expects a whole number`).positive(`${flag} must be positive`).optional();

const runArgsSchema = z.object({
  input: z.string().min(1),
  out: z.string({ error: "--out <out.ipynb> is required" }).min(1, "--out <out.ipynb> is required"),
  cwd: z.string().optional(),
  cellTimeout: seconds("--cell-timeout"),
  timeout: seconds("--timeout"),
  maxOutput: positiveInt("--max-output"),
  maxBytes: positiveInt("--max-bytes"),
  maxMemory: positiveInt("--max-memory"),
  heartbeat: z.coerce.number({ error: "--heartbeat expects a number of seconds" }).min(0).optional(),
  resolveDir: z.array(z.string()).optional(),
  events: z.string().default("stdout"),
});

type EventSink = { write(event: object): void; close(): Promise<void> };

function openEventSink(where: string): EventSink {
  if (where === "none") return { write() {}, close: async () => {} };
  let stream: NodeJS.WritableStream | WriteStream;
  let owned = false;
  if (where === "stdout") stream = process.stdout;
  else if (where === "stderr") stream = process.stderr;
  else if (/^fd:\d+$/.test(where)) {
    stream = createWriteStream("", { fd: Number(where.slice(3)) });
    owned = true;
  } else {
    stream = createWriteStream(where, { flags: "a" });
    owned = true;
  }
  return {
    write(event) {
      stream.write(`${JSON.stringify(event)}\n`);
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (owned) (stream as WriteStream).end(() => resolve());
        else stream.write("", () => resolve());
      }),
  };
}

function readInput(file: string, maxBytes: number | undefined) {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new NotebookFormatError("not-a-notebook", [{ path: "", message: `cannot read the file: ${error instanceof Error ? error.message : String(error)}` }], file);
  }
  return parseNotebook(bytes, { maxBytes, fileName: file });
}

async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: "string" },
      cwd: { type: "string" },
      "cell-timeout": { type: "string" },
      timeout: { type: "string" },
      "max-output": { type: "string" },
      "max-bytes": { type: "string" },
      "max-memory": { type: "string" },
      heartbeat: { type: "string" },
      "resolve-dir": { type: "string", multiple: true },
      events: { type: "string" },
    },
  });
  if (positionals.length !== 1) throw new UsageError(`run expects exactly one input notebook, got ${positionals.length}`);
  const parsed = runArgsSchema.safeParse({
    input: positionals[0],
    out: values.out,
    cwd: values.cwd,
    cellTimeout: values["cell-timeout"],
    timeout: values.timeout,
    maxOutput: values["max-output"],
    maxBytes: values["max-bytes"],
    maxMemory: values["max-memory"],
    heartbeat: values.heartbeat,
    resolveDir: values["resolve-dir"],
    events: values.events,
  });
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => i.message).join("; "));
  const args = parsed.data;
  const sink = openEventSink(args.events);
  try {
    let notebook;
    try {
      notebook = readInput(args.input, args.maxBytes).notebook;
    } catch (error) {
      if (!(error instanceof NotebookFormatError)) throw error;
      sink.write({ event: "error", index: null, reason: "invalid-notebook", ename: error.name, evalue: error.message, traceback: error.message.split("\n") });
      sink.write({ event: "done", status: "invalid", durationMs: 0, cellsRun: 0, codeCells: 0, outputTruncated: false });
      console.error(error.message);
      return EXIT.invalidNotebook;
    }
    // Loaded here so `validate` does not pay for the TypeScript compiler.
    const { executeNotebook } = await import("./execute/index");
    const controller = new AbortController();
    const onSignal = () => controller.abort();
    process.once("SIGTERM", onSignal);
    process.once("SIGINT", onSignal);
    const result = await executeNotebook(notebook, {
      cwd: args.cwd,
      cellTimeoutMs: args.cellTimeout === undefined ? undefined : args.cellTimeout * 1000,
      timeoutMs: args.timeout === undefined ? undefined : args.timeout * 1000,
      maxOutputBytes: args.maxOutput,
      maxMemoryMb: args.maxMemory,
      heartbeatMs: args.heartbeat === undefined ? undefined : args.heartbeat * 1000,
      resolveDirs: args.resolveDir,
      signal: controller.signal,
      onEvent: (event: ExecutionEvent) => {
        if (event.event === "done") return; // written after the notebook is saved
        sink.write(event);
      },
    });
    process.off("SIGTERM", onSignal);
    process.off("SIGINT", onSignal);
    const out = path.resolve(args.out);
    const tmp = `${out}.${process.pid}.tmp`;
    writeFileSync(tmp, writeNotebook(result.notebook));
    renameSync(tmp, out);
    sink.write({ event: "done", status: result.status, durationMs: Math.round(result.durationMs), cellsRun: result.cells.length, codeCells: result.notebook.cells.filter((c) => c.cell_type === "code").length, outputTruncated: result.outputTruncated, out, ...(result.failure ? { failure: result.failure } : {}) });
    switch (result.status) {
      case "ok":
        return EXIT.ok;
      case "timeout":
        return EXIT.timeLimit;
      case "aborted":
        return EXIT.aborted;
      case "error":
        return EXIT.cellError;
    }
  } finally {
    await sink.close();
  }
}

function validate(argv: string[]): number {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { "max-bytes": { type: "string" } } });
  if (positionals.length !== 1) throw new UsageError(`validate expects exactly one notebook, got ${positionals.length}`);
  const maxBytes = positiveInt("--max-bytes").safeParse(values["max-bytes"]);
  if (!maxBytes.success) throw new UsageError(maxBytes.error.issues.map((i) => i.message).join("; "));
  const file = positionals[0] ?? "";
  try {
    const { notebook, warnings } = readInput(file, maxBytes.data);
    for (const w of warnings) console.error(`warning: ${w}`);
    console.log(`${file}: valid nbformat ${notebook.nbformat}.${notebook.nbformat_minor} notebook, ${notebook.cells.length} cells`);
    return EXIT.ok;
  } catch (error) {
    if (!(error instanceof NotebookFormatError)) throw error;
    console.error(error.message);
    return EXIT.invalidNotebook;
  }
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === "run") return await run(rest);
    if (command === "validate") return validate(rest);
    if (command === "--help" || command === "-h" || command === "help") {
      console.log(USAGE);
      return EXIT.ok;
    }
    throw new UsageError(command ? `unknown command ${JSON.stringify(command)}` : "missing command");
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TypeError && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS"))) {
      console.error(`course-notebook: ${error.message}\n\n${USAGE}`);
      return EXIT.usage;
    }
    throw error;
  }
}

process.exitCode = await main(process.argv.slice(2));
