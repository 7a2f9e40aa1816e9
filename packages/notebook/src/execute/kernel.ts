// The kernel: a child process that evaluates transpiled cells in one global scope, forwards
// stdout/stderr writes and displays in order over IPC, and reports results and errors.
import { Console } from "node:console";
import { isBuiltin } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { inspect } from "node:util";
import vm from "node:vm";
import { bundleFor, createDisplay, type DisplayBundle } from "./display";
import { KERNEL_GLOBAL, type FromKernel, type SerializedError, type ToKernel } from "./protocol";
import { resolvePackageFrom } from "./resolve";

// Captured now: notebook code may declare its own top-level `process` or `Buffer` (they become globals).
const proc = process;
const NodeBuffer = Buffer;
const send = (message: FromKernel): void => {
  proc.send?.(message);
};

let outputBudget = Number.POSITIVE_INFINITY;
let resolveDirs: string[] = [];
let truncatedSent = false;

function forward(message: FromKernel, bytes: number): void {
  if (outputBudget <= 0) {
    if (!truncatedSent) send({ type: "truncated", name: message.type === "stream" ? message.name : "stderr" });
    truncatedSent = true;
    return;
  }
  outputBudget -= bytes;
  send(message);
}

function writeStream(name: "stdout" | "stderr", chunk: unknown, encoding?: unknown): void {
  const text = typeof chunk === "string" ? chunk : chunk instanceof Uint8Array ? NodeBuffer.from(chunk).toString(typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8") : String(chunk);
  if (text) forward({ type: "stream", name, text }, NodeBuffer.byteLength(text));
}

// Every write through process.stdout/stderr (console included) goes over the one IPC channel, so
// the order of stdout and stderr chunks is kept.
for (const name of ["stdout", "stderr"] as const) {
  const stream = proc[name];
  stream.write = ((chunk: unknown, encoding?: unknown, callback?: unknown) => {
    writeStream(name, chunk, encoding);
    const cb = typeof encoding === "function" ? encoding : callback;
    if (typeof cb === "function") queueMicrotask(() => (cb as () => void)());
    return true;
  });
}
globalThis.console = new Console({ stdout: process.stdout, stderr: process.stderr, colorMode: false });

function emitDisplay(bundle: DisplayBundle): void {
  forward({ type: "display", data: bundle.data, metadata: bundle.metadata }, JSON.stringify(bundle.data).length);
}

function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    return { isError: true, name: error.name, message: error.message, stack: error.stack ?? `${error.name}: ${error.message}` };
  }
  const text = inspect(error, { depth: 2 });
  return { isError: false, name: "Uncaught", message: text, stack: "" };
}

async function importModule(spec: string, options?: ImportCallOptions): Promise<unknown> {
  if (typeof spec !== "string") throw new TypeError(`import() expects a string, got ${typeof spec}`);
  if (isBuiltin(spec) || /^[a-z][a-z0-9+.-]*:/i.test(spec)) return import(spec, options);
  if (spec.startsWith(".") || path.isAbsolute(spec)) return import(pathToFileURL(path.resolve(proc.cwd(), spec)).href, options);
  for (const dir of [proc.cwd(), ...resolveDirs]) {
    const url = resolvePackageFrom(dir, spec);
    if (url) return import(url, options);
  }
  try {
    // The executor's own node_modules (and, in the monorepo, the workspace packages).
    return await import(spec, options);
  } catch (error) {
    if (error instanceof Error && "code" in error && error.code === "ERR_MODULE_NOT_FOUND" && error.message.includes(`'${spec}'`)) {
      throw new Error(`Cannot find package '${spec}' (looked in ${[proc.cwd(), ...resolveDirs].join(", ")} and the notebook executor's node_modules)`, { cause: error });
    }
    throw error;
  }
}

Object.defineProperty(globalThis, KERNEL_GLOBAL, { value: { import: importModule }, enumerable: false, writable: false, configurable: false });
Object.defineProperty(globalThis, "display", { value: createDisplay(emitDisplay), enumerable: false, writable: true, configurable: true });

// The executor is gone (e.g. killed with SIGKILL): do not live on as an orphan. A kernel stuck in a
// synchronous loop cannot notice; killing the whole process group covers that case.
proc.on("disconnect", () => proc.exit(70));
proc.on("uncaughtException", (error) => send({ type: "async-error", error: serializeError(error) }));
proc.on("unhandledRejection", (reason) => send({ type: "async-error", error: serializeError(reason) }));

async function run(id: number, code: string, fileName: string): Promise<void> {
  try {
    const fn = new vm.Script(code, { filename: fileName }).runInThisContext() as () => Promise<unknown>;
    const value = await fn();
    if (value === undefined) send({ type: "result", id, data: null, metadata: {} });
    else {
      const bundle = bundleFor(value);
      send({ type: "result", id, data: bundle.data, metadata: bundle.metadata });
    }
  } catch (error) {
    send({ type: "error", id, error: serializeError(error) });
  }
}

proc.on("message", (message: ToKernel) => {
  switch (message.type) {
    case "init":
      outputBudget = message.maxOutputBytes;
      resolveDirs = message.resolveDirs;
      break;
    case "run":
      void run(message.id, message.code, message.fileName);
      break;
    case "finish":
      // Let pending timers and I/O (e.g. an unawaited file write) finish, then exit on our own.
      proc.channel?.unref();
      break;
  }
});

// Messages that arrive before a listener exists are dropped, so the executor waits for this.
send({ type: "ready" });
