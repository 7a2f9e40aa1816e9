// Messages between the executor and its kernel child process (over the IPC channel, JSON).

/** Global through which transpiled cells reach the kernel (imports). */
export const KERNEL_GLOBAL = "__notebook__";

export interface KernelInit {
  type: "init";
  /** Stop forwarding stream/display data after this many bytes (the executor cuts precisely). */
  maxOutputBytes: number;
  /** Extra directories to resolve bare imports from, after the cwd and before the kernel's own. */
  resolveDirs: string[];
}

export interface KernelRun {
  type: "run";
  id: number;
  code: string;
  fileName: string;
}

export interface KernelFinish {
  type: "finish";
}

export type ToKernel = KernelInit | KernelRun | KernelFinish;

export interface SerializedError {
  /** Whether the thrown value was an Error object. */
  isError: boolean;
  name: string;
  message: string;
  stack: string;
}

export type FromKernel =
  | { type: "ready" }
  | { type: "stream"; name: "stdout" | "stderr"; text: string }
  | { type: "display"; data: Record<string, unknown>; metadata: Record<string, unknown> }
  | { type: "result"; id: number; data: Record<string, unknown> | null; metadata: Record<string, unknown> }
  | { type: "error"; id: number; error: SerializedError }
  | { type: "async-error"; error: SerializedError }
  | { type: "truncated"; name: "stdout" | "stderr" };
