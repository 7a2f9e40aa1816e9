import { execFile } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import type { Capabilities } from "./protocol";

export const RUNNER_VERSION = "0.0.0";

async function cpuModel(): Promise<string> {
  try {
    const info = await readFile("/proc/cpuinfo", "utf8");
    const m = /^model name\s*:\s*(.+)$/m.exec(info);
    if (m?.[1]) return m[1].trim();
  } catch {
    // not Linux
  }
  return os.cpus()[0]?.model.trim() ?? "unknown";
}

/** GPU names from nvidia-smi, or null when there is none (or no driver). */
export function detectGpu(nvidiaSmi = "nvidia-smi"): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(nvidiaSmi, ["--query-gpu=name", "--format=csv,noheader"], { timeout: 10_000 }, (err, stdout) => {
      if (err) return resolve(null);
      const names = stdout.split("\n").map((l) => l.trim()).filter(Boolean);
      resolve(names.length === 0 ? null : names.length === 1 ? (names[0] as string) : `${names.length}x ${names[0]}`);
    });
  });
}

/** Whether `@tensorflow/tfjs-node-gpu` (optional) is installed with its native binding (libtensorflow downloaded). */
function tfjsNodeGpuInstalled(): boolean {
  try {
    const dir = path.dirname(createRequire(import.meta.url).resolve("@tensorflow/tfjs-node-gpu/package.json"));
    return readdirSync(path.join(dir, "lib")).some((d) => d.startsWith("napi-v") && existsSync(path.join(dir, "lib", d, "tfjs_binding.node")));
  } catch {
    return false;
  }
}

/**
 * The engine notebooks get from the training package (its select-engine.ts): with a GPU, onnxruntime's CUDA provider
 * when its libraries were installed (`ONNXRUNTIME_NODE_INSTALL=cuda12 npm install`), else `@tensorflow/tfjs-node-gpu`
 * when its install step could download libtensorflow; onnxruntime on the CPU otherwise.
 */
export function detectBackend(gpu: string | null): string {
  let cudaProvider = false;
  try {
    const pkg = createRequire(import.meta.url).resolve("onnxruntime-node/package.json");
    cudaProvider = existsSync(path.join(path.dirname(pkg), "bin/napi-v6", process.platform, process.arch, "libonnxruntime_providers_cuda.so"));
  } catch {
    return gpu ? "cuda (training package not installed)" : "cpu (training package not installed)";
  }
  if (gpu && cudaProvider) return "onnxruntime-cuda";
  if (gpu && tfjsNodeGpuInstalled()) return "tfjs-node-gpu";
  return gpu ? "onnxruntime-cpu (GPU found, no CUDA engine installed)" : "onnxruntime-cpu";
}

export async function detectCapabilities(opts: {
  runnerName?: string;
  backend?: string;
  sandbox: "bubblewrap" | "none";
  nvidiaSmi?: string;
}): Promise<Capabilities> {
  const [model, gpu] = await Promise.all([cpuModel(), detectGpu(opts.nvidiaSmi)]);
  return {
    runnerName: opts.runnerName ?? os.hostname(),
    runnerVersion: RUNNER_VERSION,
    cpuModel: model,
    cpuCount: os.cpus().length,
    memoryBytes: os.totalmem(),
    gpu,
    backend: opts.backend ?? detectBackend(gpu),
    platform: `${process.platform}-${process.arch}`,
    sandbox: opts.sandbox,
  };
}
