// The executor's handle on one kernel child process.
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { FromKernel, ToKernel } from "./protocol";

const KERNEL_ENTRY = fileURLToPath(new URL("./kernel-entry.js", import.meta.url));

export interface KernelOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  maxMemoryMb?: number;
  maxOutputBytes: number;
  resolveDirs: string[];
}

export type KernelEvent =
  | { type: "stream"; name: "stdout" | "stderr"; text: string }
  | { type: "display"; data: Record<string, unknown>; metadata: Record<string, unknown> }
  | { type: "truncated"; name: "stdout" | "stderr" };

export type RunOutcome =
  | { type: "result"; data: Record<string, unknown> | null; metadata: Record<string, unknown> }
  | { type: "error"; error: Extract<FromKernel, { type: "error" }>["error"] }
  | { type: "async-error"; error: Extract<FromKernel, { type: "async-error" }>["error"] }
  | { type: "exit"; code: number | null; signal: NodeJS.Signals | null };

export class KernelProcess {
  private child: ChildProcess | undefined;
  private exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private readonly exitWaiters: (() => void)[] = [];
  private pending: { id: number; resolve: (o: RunOutcome) => void } | undefined;
  private nextId = 1;
  /** Receives stream/display messages (and native writes to the kernel's stdout/stderr). */
  onOutput: (event: KernelEvent) => void = () => {};
  /** Receives async errors that arrive while no cell is running. */
  onIdleAsyncError: (outcome: Extract<RunOutcome, { type: "async-error" }>) => void = () => {};

  constructor(private readonly options: KernelOptions) {}

  /** Starts the kernel; resolves when it is ready, rejects if it dies first. */
  start(): Promise<void> {
    const { cwd, env, maxMemoryMb } = this.options;
    const execArgv = maxMemoryMb ? [`--max-old-space-size=${maxMemoryMb}`] : [];
    // eslint-disable-next-line no-restricted-syntax -- nothing is read here: the kernel inherits this process's environment unless given one
    const child = fork(KERNEL_ENTRY, [], { cwd, env: env ?? process.env, execArgv, stdio: ["ignore", "pipe", "pipe", "ipc"], serialization: "json" });
    this.child = child;
    child.stdout?.setEncoding("utf8").on("data", (text: string) => this.onOutput({ type: "stream", name: "stdout", text }));
    child.stderr?.setEncoding("utf8").on("data", (text: string) => this.onOutput({ type: "stream", name: "stderr", text }));
    child.on("exit", (code, signal) => {
      this.exited = { code, signal };
      this.pending?.resolve({ type: "exit", code, signal });
      this.pending = undefined;
      for (const w of this.exitWaiters.splice(0)) w();
    });
    return new Promise<void>((resolve, reject) => {
      const onReady = (message: FromKernel) => {
        if (message.type !== "ready") return;
        child.off("message", onReady);
        child.on("message", (m: FromKernel) => this.handle(m));
        const init: ToKernel = { type: "init", maxOutputBytes: this.options.maxOutputBytes, resolveDirs: this.options.resolveDirs };
        child.send(init);
        resolve();
      };
      child.on("message", onReady);
      child.once("error", reject);
      this.exitWaiters.push(() => reject(new Error(`the kernel process exited before it was ready (code ${this.exited?.code ?? "none"}, signal ${this.exited?.signal ?? "none"})`)));
    });
  }

  private handle(message: FromKernel): void {
    switch (message.type) {
      case "stream":
      case "display":
      case "truncated":
        this.onOutput(message);
        break;
      case "result":
      case "error": {
        const pending = this.pending;
        if (!pending || pending.id !== message.id) return;
        this.pending = undefined;
        pending.resolve(message.type === "result" ? { type: "result", data: message.data, metadata: message.metadata } : { type: "error", error: message.error });
        break;
      }
      case "async-error": {
        const outcome = { type: "async-error", error: message.error } as const;
        if (this.pending) {
          const pending = this.pending;
          this.pending = undefined;
          pending.resolve(outcome);
        } else this.onIdleAsyncError(outcome);
        break;
      }
      case "ready":
        break;
    }
  }

  /** Runs one transpiled cell. Resolves with its outcome; never rejects. */
  run(code: string, fileName: string): Promise<RunOutcome> {
    return new Promise<RunOutcome>((resolve) => {
      if (this.exited || !this.child?.connected) {
        resolve({ type: "exit", code: this.exited?.code ?? null, signal: this.exited?.signal ?? null });
        return;
      }
      const id = this.nextId++;
      this.pending = { id, resolve };
      const message: ToKernel = { type: "run", id, code, fileName };
      this.child.send(message);
    });
  }

  private waitForExit(ms: number): Promise<boolean> {
    if (this.exited) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      this.exitWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  /** Lets pending timers and I/O finish for up to `drainMs`, then stops the kernel. */
  async finish(drainMs: number): Promise<void> {
    if (!this.child || this.exited) return;
    if (this.child.connected && drainMs > 0) {
      const finish: ToKernel = { type: "finish" };
      this.child.send(finish);
      if (await this.waitForExit(drainMs)) return;
    }
    await this.kill();
  }

  /** Kills the kernel (SIGKILL: also stops synchronous infinite loops) and waits for it to go. */
  async kill(): Promise<void> {
    if (!this.child || this.exited) return;
    this.child.kill("SIGKILL");
    await this.waitForExit(5000);
  }
}
