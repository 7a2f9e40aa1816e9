import { DEVICE_ENV, Engine, type EngineIo, type FeatureEngine, nvidiaGpuPresent } from "./engine";
import type { ModelFiles } from "./modelStore";
import { cudaLibrariesLoaded, loadTfjsNodeGpu, TFJS_NODE_GPU, TfjsEngine, type Tf } from "./tfjs-engine";

export interface EngineProbes {
  gpuPresent: () => boolean;
  loadTfjs: () => Promise<{ tf: Tf } | { reason: string }>;
  cudaLoaded: () => boolean;
}

const REAL_PROBES: EngineProbes = { gpuPresent: nvidiaGpuPresent, loadTfjs: () => loadTfjsNodeGpu(), cudaLoaded: () => cudaLibrariesLoaded() };

/**
 * The fastest engine this machine has for the frozen backbone. With an NVIDIA GPU: onnxruntime's CUDA provider when
 * its libraries were installed, else `@tensorflow/tfjs-node-gpu` (optional dependency) when it loaded and found
 * CUDA. Otherwise onnxruntime on the CPU, with a note saying why no GPU engine ran. COURSE_TRAINING_DEVICE=cpu skips
 * the GPU; =cuda fails with both reasons instead of falling back.
 */
export async function createFeatureEngine(
  onnx: Uint8Array,
  files: ModelFiles,
  device: string = process.env[DEVICE_ENV] ?? "auto",
  probes: EngineProbes = REAL_PROBES,
  io?: EngineIo,
): Promise<FeatureEngine> {
  if (!["auto", "cpu", "cuda"].includes(device)) throw new Error(`${DEVICE_ENV}=${device}: expected auto, cpu or cuda`);
  if (device === "cpu") return Engine.create(onnx, "cpu", undefined, io);
  if (device === "auto" && !probes.gpuPresent()) return Engine.create(onnx, "cpu", "no NVIDIA GPU detected", io);

  const reasons: string[] = [];
  try {
    return await Engine.create(onnx, "cuda", undefined, io);
  } catch (error) {
    reasons.push((error as Error).message);
  }

  const loaded: { tf: Tf } | { reason: string } = files.format === "tfjs-layers" ? await probes.loadTfjs() : { reason: "the TF.js engine runs only TF.js layers models" };
  if ("tf" in loaded && files.format === "tfjs-layers") {
    const engine = await TfjsEngine.create(loaded.tf, files, "tfjs-node-gpu").catch((error: Error) => {
      reasons.push(`${TFJS_NODE_GPU} could not load the model (${error.message.split("\n")[0]})`);
      return null;
    });
    if (engine) {
      const [h, w] = files.spec.inputSize;
      await engine.run(new Float32Array(3 * h * w), [1, 3, h, w], ["features"]);
      if (probes.cudaLoaded()) return engine;
      await engine.close();
      reasons.push(`${TFJS_NODE_GPU} loaded but libtensorflow found no CUDA libraries (tfjs-node-gpu 4.x needs CUDA 11.x and cuDNN 8)`);
    }
  } else if ("reason" in loaded) {
    reasons.push(loaded.reason);
  }

  const why = reasons.join("; ");
  if (device === "cuda") throw new Error(`${DEVICE_ENV}=cuda but no GPU engine works: ${why}`);
  return Engine.create(onnx, "cpu", `NVIDIA GPU present, but ${why}`, io);
}
