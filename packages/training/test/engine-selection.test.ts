import fs from "node:fs";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { convertLayersModel } from "../src/convert";
import { Engine, type FeatureEngine } from "../src/engine";
import { decodeWeights } from "../src/layersModel";
import { loadModelFiles, type LayersModelFiles } from "../src/modelStore";
import { createFeatureEngine, type EngineProbes } from "../src/select-engine";
import { cudaLibrariesLoaded, loadTfjsNodeGpu, TfjsEngine } from "../src/tfjs-engine";
import { assetsDir, tempDir } from "./helpers";

describe("loading @tensorflow/tfjs-node-gpu", () => {
  it("says why it is not usable instead of throwing", async () => {
    const missing = await loadTfjsNodeGpu("@tensorflow/no-such-package");
    expect(missing).toEqual({ reason: expect.stringMatching(/^@tensorflow\/no-such-package is not usable \(.*Cannot find/) });

    // The optional dependency itself: here npm installs it without running its install step (no libtensorflow), so
    // its native binding is missing; where the download worked it loads with the TensorFlow backend.
    const real = await loadTfjsNodeGpu();
    if ("reason" in real) expect(real.reason).toMatch(/^@tensorflow\/tfjs-node-gpu is not usable \(.+\)$/);
    else expect(real.tf.getBackend()).toBe("tensorflow");
  });

  it("tells from the process's mapped libraries whether CUDA was found", () => {
    const dir = tempDir("maps");
    const withCuda = path.join(dir, "with");
    const without = path.join(dir, "without");
    fs.writeFileSync(withCuda, "7f00-7f01 r-xp 00000000 08:01 1 /usr/local/cuda-11.2/lib64/libcudart.so.11.0\n");
    fs.writeFileSync(without, "7f00-7f01 r-xp 00000000 08:01 1 /usr/lib/x86_64-linux-gnu/libc.so.6\n");
    expect(cudaLibrariesLoaded(withCuda)).toBe(true);
    expect(cudaLibrariesLoaded(without)).toBe(false);
    expect(cudaLibrariesLoaded(path.join(dir, "absent"))).toBe(false);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

const assets = assetsDir();

describe.skipIf(!assets)("engine selection and the TF.js engine (MobileNet)", () => {
  const cache = tempDir("engines");
  let files: LayersModelFiles;
  let onnx: Uint8Array;
  const [h, w] = [224, 224];
  const batch = () => {
    const x = new Float32Array(2 * 3 * h * w);
    let seed = 7;
    for (let i = 0; i < x.length; i++) x[i] = ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
    return x;
  };
  const probes = (over: Partial<EngineProbes>): EngineProbes => ({
    gpuPresent: () => true,
    // Plain TF.js on its CPU backend stands in for tfjs-node-gpu: the same API and the same engine code.
    loadTfjs: async () => ({ tf }),
    cudaLoaded: () => true,
    ...over,
  });
  const engines: FeatureEngine[] = [];
  const track = <E extends FeatureEngine>(e: E) => (engines.push(e), e);

  beforeAll(async () => {
    await tf.setBackend("cpu");
    const loaded = await loadModelFiles("mobilenet_v1_0.75_224", { from: path.join(assets!, "models", "mobilenet_v1_0.75_224"), cacheDir: cache });
    if (loaded.format !== "tfjs-layers") throw new Error("expected the TF.js layers model");
    files = loaded;
    onnx = convertLayersModel(files.modelJson, decodeWeights(files.modelJson.weightsManifest, files.groups), { featureLayer: files.spec.featureLayer, includeOutput: true }).onnx;
  }, 60_000);
  afterAll(async () => {
    for (const e of engines) await e.close();
    fs.rmSync(cache, { recursive: true, force: true });
  });

  it("the TF.js engine gives the ONNX engine's pooled features (within 1e-3) and outputs from the same NCHW batch", async () => {
    const ort = track(await Engine.create(onnx, "cpu"));
    const tfjs = track(await TfjsEngine.create(tf, files, "tfjs-node-gpu"));
    const a = await ort.run(batch(), [2, 3, h, w], ["features", "output"]);
    const b = await tfjs.run(batch(), [2, 3, h, w], ["features", "output"]);
    expect(b.features!.length).toBe(a.features!.length);
    expect(b.output!.length).toBe(2 * 1000);
    let maxDiff = 0;
    a.features!.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - b.features![i]!))));
    expect(maxDiff).toBeLessThan(1e-3);
    const top = (o: Float32Array, k: number) => o.slice(k * 1000, (k + 1) * 1000).reduce((best, v, i, all) => (v > all[best]! ? i : best), 0);
    expect([top(b.output!, 0), top(b.output!, 1)]).toEqual([top(a.output!, 0), top(a.output!, 1)]);
  }, 60_000);

  it("without a GPU: onnxruntime on the CPU, saying so", async () => {
    const engine = track(await createFeatureEngine(onnx, files, "auto", probes({ gpuPresent: () => false })));
    expect(engine.backend).toBe("onnxruntime-cpu");
    expect(engine.note).toBe("no NVIDIA GPU detected");
  });

  it("with a GPU, no onnxruntime CUDA provider and tfjs-node-gpu finding CUDA: the TF.js engine", async () => {
    const engine = track(await createFeatureEngine(onnx, files, "auto", probes({})));
    expect(engine.backend).toBe("tfjs-node-gpu");
    expect((await engine.run(batch(), [2, 3, h, w], ["features"])).features!.length).toBe(2 * 768);
  }, 60_000);

  it("with a GPU but nothing that can use it: onnxruntime on the CPU with both reasons; COURSE_TRAINING_DEVICE=cuda fails with them", async () => {
    const noCuda = track(await createFeatureEngine(onnx, files, "auto", probes({ cudaLoaded: () => false })));
    expect(noCuda.backend).toBe("onnxruntime-cpu");
    expect(noCuda.note).toMatch(/^NVIDIA GPU present, but CUDA execution provider unavailable .*; @tensorflow\/tfjs-node-gpu loaded but libtensorflow found no CUDA libraries/);

    const notInstalled = probes({ loadTfjs: async () => ({ reason: "@tensorflow/tfjs-node-gpu is not usable (no binding)" }) });
    const fallback = track(await createFeatureEngine(onnx, files, "auto", notInstalled));
    expect(fallback.note).toMatch(/@tensorflow\/tfjs-node-gpu is not usable \(no binding\)$/);
    await expect(createFeatureEngine(onnx, files, "cuda", notInstalled)).rejects.toThrow(/^COURSE_TRAINING_DEVICE=cuda but no GPU engine works: CUDA execution provider unavailable .*tfjs-node-gpu is not usable/);
  }, 60_000);

  it("falls back to the CPU when tfjs-node-gpu loads but cannot build the model", async () => {
    const broken = probes({ loadTfjs: async () => ({ tf: { ...tf, loadLayersModel: async () => Promise.reject(new Error("bad topology")) } }) });
    const engine = track(await createFeatureEngine(onnx, files, "auto", broken));
    expect(engine.backend).toBe("onnxruntime-cpu");
    expect(engine.note).toMatch(/@tensorflow\/tfjs-node-gpu could not load the model \(bad topology\)$/);
  }, 60_000);

  it("COURSE_TRAINING_DEVICE=cpu never tries a GPU; unknown values are refused", async () => {
    let asked = false;
    const engine = track(await createFeatureEngine(onnx, files, "cpu", probes({ gpuPresent: () => ((asked = true), true) })));
    expect([engine.backend, asked]).toEqual(["onnxruntime-cpu", false]);
    await expect(createFeatureEngine(onnx, files, "tpu", probes({}))).rejects.toThrow("COURSE_TRAINING_DEVICE=tpu: expected auto, cpu or cuda");
  });
});
