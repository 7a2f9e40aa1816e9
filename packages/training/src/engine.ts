import fs from "node:fs";
import os from "node:os";
import { Worker } from "node:worker_threads";
import type { SessionInfo } from "./manifest";

/**
 * onnxruntime sessions, run in a worker thread (onnxruntime-node's run() is synchronous
 * and would stall image decoding). select-engine.ts picks the engine for a machine.
 */

export type Backend = "onnxruntime-cuda" | "onnxruntime-cpu" | "tfjs-node-gpu";

/** What the backbone needs from an engine: NCHW batches in, named outputs (`features`, `output`) out. */
export interface FeatureEngine {
  readonly backend: Backend;
  /** Why a GPU was not used, when it was not. */
  readonly note?: string | undefined;
  /** onnxruntime's view of the model's inputs and outputs (not given by the TF.js engine). */
  readonly info?: SessionInfo | undefined;
  run(input: Float32Array, dims: readonly number[], outputs: readonly string[]): Promise<Record<string, Float32Array>>;
  close(): Promise<void>;
}
export const DEVICE_ENV = "COURSE_TRAINING_DEVICE"; // "auto" (default), "cpu" or "cuda"

export function cpuThreads(): number {
  return Math.max(1, typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length);
}

export function nvidiaGpuPresent(): boolean {
  return fs.existsSync("/proc/driver/nvidia/version") || fs.existsSync("/dev/nvidiactl");
}

/** The model's own tensor names behind the engine's "input", "features" and "output". */
export interface EngineIo {
  input: string;
  outputs: { features?: string; output?: string };
}

interface Reply {
  id: number;
  ok?: boolean;
  info?: SessionInfo;
  error?: string;
  outputs?: Record<string, Float32Array>;
}

class InferenceWorker {
  private worker = new Worker(new URL("./inferenceWorker.mjs", import.meta.url));
  private nextId = 0;
  private pending = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();

  constructor() {
    this.worker.unref();
    this.worker.on("message", (r: Reply) => {
      const p = this.pending.get(r.id);
      if (!p) return;
      this.pending.delete(r.id);
      if (this.pending.size === 0) this.worker.unref();
      if (r.error !== undefined) p.reject(new Error(r.error));
      else p.resolve(r);
    });
    this.worker.on("error", (e) => {
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    });
  }

  request(msg: Record<string, unknown>, transfer: ArrayBuffer[] = []): Promise<Reply> {
    const id = this.nextId++;
    this.worker.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...msg, id }, transfer);
    });
  }

  terminate(): Promise<number> {
    return this.worker.terminate();
  }
}

export class Engine implements FeatureEngine {
  private constructor(
    private readonly worker: InferenceWorker,
    readonly backend: Backend,
    /** Why CUDA was not used, when it was not. */
    readonly note?: string,
    /** The session's inputs and outputs as onnxruntime reports them. */
    readonly info?: SessionInfo,
  ) {}

  /**
   * An onnxruntime session on one execution provider: "cuda" (with CPU for unsupported ops; throws when the CUDA
   * provider cannot load) or "cpu". Which one to use is decided by createFeatureEngine (select-engine.ts).
   */
  static async create(onnx: Uint8Array, provider: "cpu" | "cuda", note?: string, io?: EngineIo): Promise<Engine> {
    const options = {
      intraOpNumThreads: cpuThreads(),
      interOpNumThreads: 1,
      graphOptimizationLevel: "all",
      // Idle onnxruntime threads must not spin: the image decoders need those cores.
      extra: { session: { intra_op: { allow_spinning: "0" }, inter_op: { allow_spinning: "0" } } },
    };
    const worker = new InferenceWorker();
    let info: SessionInfo | undefined;
    try {
      ({ info } = await worker.request({ type: "init", onnx, io, options: { ...options, executionProviders: provider === "cuda" ? ["cuda", "cpu"] : ["cpu"] } }));
    } catch (e) {
      await worker.terminate();
      const first = (e as Error).message.split("\n")[0];
      throw new Error(
        provider === "cuda"
          ? `CUDA execution provider unavailable (${first}); onnxruntime-node downloads its CUDA libraries only when installed without ONNXRUNTIME_NODE_INSTALL=skip`
          : `onnxruntime could not load the model (${first})`,
      );
    }
    return new Engine(worker, provider === "cuda" ? "onnxruntime-cuda" : "onnxruntime-cpu", note, info);
  }

  /** Run one batch; `input` is transferred to the worker (do not reuse it). */
  async run(input: Float32Array, dims: readonly number[], outputs: readonly string[]): Promise<Record<string, Float32Array>> {
    const reply = await this.worker.request({ type: "run", input, dims: [...dims], outputs: [...outputs] }, [input.buffer as ArrayBuffer]);
    const out = reply.outputs ?? {};
    for (const name of outputs) if (!out[name]) throw new Error(`onnxruntime returned no ${name} output`);
    return out;
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
