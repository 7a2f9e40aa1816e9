import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Backbone } from "../src/backbone";
import { decodeResized } from "../src/images";
import { parseManifest, parseScale } from "../src/manifest";
import { attr, encodeModel, type OnnxNode } from "../src/onnx";
import { findPooledTensor, summariseGraph } from "../src/onnxCut";
import { registerBackbone } from "../src/registry";
import { tempDir, writeImage } from "./helpers";

/**
 * Backbones described by manifest.json, on small ONNX models generated here: a feature extractor (NHWC, dynamic
 * H/W) and a full classifier (NCHW, ImageNet mean/std, fixed 16x16) that the loader cuts at its pooled features.
 */

// A 1x1 convolution 3 -> 4 channels, then ReLU: features are the per-channel means of relu(W x + b).
const W = [0.5, -0.25, 0.1, -0.3, 0.8, 0.2, 0.05, 0.05, 0.05, 1, -1, 0.5];
const B = [0.1, 0, -0.2, 0.05];
const CLASSES = 5;

function featureModel(): Uint8Array {
  const nodes: OnnxNode[] = [
    { op: "Transpose", inputs: ["pixels"], outputs: ["nchw"], name: "t", attributes: { perm: attr.ints([0, 3, 1, 2]) } },
    { op: "Conv", inputs: ["nchw", "w", "b"], outputs: ["conv"], name: "conv", attributes: { kernel_shape: attr.ints([1, 1]) } },
    { op: "Relu", inputs: ["conv"], outputs: ["act"], name: "relu" },
    { op: "GlobalAveragePool", inputs: ["act"], outputs: ["gap"], name: "gap" },
    { op: "Flatten", inputs: ["gap"], outputs: ["pooled"], name: "flatten" },
  ];
  return encodeModel(
    {
      name: "features",
      nodes,
      initializers: [
        { name: "w", dims: [4, 3, 1, 1], data: Float32Array.from(W) },
        { name: "b", dims: [4], data: Float32Array.from(B) },
      ],
      inputs: [{ name: "pixels", dims: ["N", "H", "W", 3] }],
      outputs: [{ name: "pooled", dims: ["N", 4] }],
    },
    { producer: "manifest.test" },
  );
}

function classifierModel(size: number): Uint8Array {
  const nodes: OnnxNode[] = [
    { op: "Conv", inputs: ["data", "w", "b"], outputs: ["conv"], name: "conv", attributes: { kernel_shape: attr.ints([1, 1]) } },
    { op: "Relu", inputs: ["conv"], outputs: ["act"], name: "relu" },
    { op: "GlobalAveragePool", inputs: ["act"], outputs: ["pool_out"], name: "gap" },
    { op: "Flatten", inputs: ["pool_out"], outputs: ["flat"], name: "flatten" },
    { op: "Gemm", inputs: ["flat", "fc_w", "fc_b"], outputs: ["logits"], name: "fc", attributes: { transB: attr.int(1) } },
  ];
  return encodeModel(
    {
      name: "classifier",
      nodes,
      initializers: [
        { name: "w", dims: [4, 3, 1, 1], data: Float32Array.from(W) },
        { name: "b", dims: [4], data: Float32Array.from(B) },
        { name: "fc_w", dims: [CLASSES, 4], data: Float32Array.from({ length: CLASSES * 4 }, (_, i) => Math.sin(i)) },
        { name: "fc_b", dims: [CLASSES], data: new Float32Array(CLASSES) },
      ],
      inputs: [{ name: "data", dims: ["N", 3, size, size] }],
      outputs: [{ name: "logits", dims: ["N", CLASSES] }],
    },
    { producer: "manifest.test" },
  );
}

/** The features computed here from the decoded pixels, as the manifest says they are scaled. */
async function expectedFeatures(file: string, size: number, scale: (v: number, c: number) => number): Promise<number[]> {
  const rgb = await decodeResized(file, size, size);
  const sums = [0, 0, 0, 0];
  for (let i = 0; i < size * size; i++) {
    const x = [0, 1, 2].map((c) => scale(rgb[i * 3 + c]!, c));
    for (let o = 0; o < 4; o++) sums[o]! += Math.max(0, B[o]! + W[o * 3]! * x[0]! + W[o * 3 + 1]! * x[1]! + W[o * 3 + 2]! * x[2]!);
  }
  return sums.map((s) => s / (size * size));
}

const featureManifest = {
  id: "tiny_onnx",
  format: "onnx",
  file: "model.onnx",
  input: { name: "pixels", layout: "NHWC", channels: "RGB", dtype: "float32", height: "dynamic", width: "dynamic", trainedAt: 24, scale: "x / 127.5 - 1" },
  output: { name: "pooled", shape: ["batch", 4] },
  classifier: null,
};

const MEAN = [0.485, 0.456, 0.406];
const STD = [0.229, 0.224, 0.225];
const classifierManifest = {
  format: "onnx",
  file: "classifier.onnx",
  input: { name: "data", layout: "NCHW", height: 16, width: 16, trainedAt: 16, mean: MEAN, std: STD },
  output: { name: "auto" },
  classifier: { output: "logits", labels: "labels.json", logits: true },
};

describe("backbones described by manifest.json", () => {
  const root = tempDir("manifest");
  const cacheDir = tempDir("manifest-cache");
  const image = path.join(root, "img.jpg");
  const featureDir = path.join(root, "features");
  const classifierDir = path.join(root, "classifier");
  const write = (dir: string, manifest: unknown) => fs.writeFileSync(path.join(dir, "manifest.json"), JSON.stringify(manifest));
  beforeAll(async () => {
    await writeImage(image, [200, 120, 40], { size: [50, 40], seed: 3 });
    fs.mkdirSync(featureDir, { recursive: true });
    fs.writeFileSync(path.join(featureDir, "model.onnx"), featureModel());
    write(featureDir, featureManifest);
    fs.mkdirSync(classifierDir, { recursive: true });
    fs.writeFileSync(path.join(classifierDir, "classifier.onnx"), classifierModel(16));
    fs.writeFileSync(path.join(classifierDir, "labels.json"), JSON.stringify({ labels: ["a", "b", "c", "d", "e"] }));
    write(classifierDir, classifierManifest);
    registerBackbone({ id: "tiny_onnx", description: "tiny ONNX", inputSize: [24, 24], preprocessing: "mobilenet", featureLayer: "", outputIsLogits: true, format: "onnx" });
  });
  afterAll(() => {
    for (const d of [root, cacheDir]) fs.rmSync(d, { recursive: true, force: true });
  });

  it("parses pixel scaling and names the wrong field of an invalid manifest", () => {
    expect(parseScale("x / 127.5 - 1")).toEqual({ scale: 1 / 127.5, offset: -1 });
    expect(parseScale("x/255")).toEqual({ scale: 1 / 255, offset: 0 });
    expect(parseScale("(x - 127.5) / 127.5")).toEqual({ scale: 1 / 127.5, offset: -1 });
    expect(() => parseScale("sqrt(x)")).toThrow(/input.scale "sqrt\(x\)" is not understood/);
    expect(() => parseManifest(JSON.stringify({ ...featureManifest, input: { ...featureManifest.input, layout: "HWC" } }), "m.json")).toThrow(/m\.json: invalid backbone manifest: input\.layout/);
    const { scale: _scale, ...noScale } = featureManifest.input;
    expect(() => parseManifest(JSON.stringify({ ...featureManifest, input: noScale }), "m.json")).toThrow(/either "scale".*or both "mean" and "std"/);
    // The shared MobileNet v2 manifest is valid as written.
    const shared = path.resolve(import.meta.dirname, "../../../../shared/assets/models/mobilenet_v2_1.0_features/manifest.json");
    if (fs.existsSync(shared)) expect(parseManifest(fs.readFileSync(shared, "utf8"), shared).input.layout).toBe("NHWC");
  });

  it("runs an NHWC feature extractor at its trained size and at another size (dynamic H/W), each with its own cache key", async () => {
    const b = await Backbone.load("tiny_onnx", { from: featureDir, cacheDir });
    try {
      expect(b.featureDim).toBe(4);
      expect(b.description).toBe("tiny_onnx at 24x24 on onnxruntime-cpu");
      const [f] = await b.extractFeatures([image], { cache: false });
      const want = await expectedFeatures(image, 24, (v) => v / 127.5 - 1);
      want.forEach((v, i) => expect(f![i]).toBeCloseTo(v, 4));
    } finally {
      await b.close();
    }
    const big = await Backbone.load("tiny_onnx", { from: featureDir, cacheDir, imageSize: 40 });
    try {
      expect(big.description).toBe("tiny_onnx at 40x40 on onnxruntime-cpu");
      expect(big.featureKey).toMatch(/-40x40$/);
      const [f] = await big.extractFeatures([image], { cache: false });
      const want = await expectedFeatures(image, 40, (v) => v / 127.5 - 1);
      want.forEach((v, i) => expect(f![i]).toBeCloseTo(v, 4));
    } finally {
      await big.close();
    }
  });

  it("cuts a full NCHW classifier (ImageNet mean/std) at its global average pool and still classifies", async () => {
    const g = summariseGraph(classifierModel(16));
    expect(g.outputs).toEqual(["logits"]);
    expect(findPooledTensor(g)).toBe("pool_out");
    // Without a GlobalAveragePool, the tensor feeding Flatten -> Gemm.
    expect(findPooledTensor({ nodes: g.nodes.filter((n) => n.op !== "GlobalAveragePool").map((n) => (n.op === "Flatten" ? { ...n, inputs: ["act"] } : n)), outputs: [] })).toBe("act");

    const b = await Backbone.load("tiny_onnx", { from: classifierDir, cacheDir });
    try {
      expect(b.featureDim).toBe(4);
      expect(b.featureSource).toBe('ONNX cut at "pool_out" (pooled features)');
      const [f] = await b.extractFeatures([image], { cache: false });
      const want = await expectedFeatures(image, 16, (v, c) => (v / 255 - MEAN[c]!) / STD[c]!);
      want.forEach((v, i) => expect(f![i]).toBeCloseTo(v, 4));
      const top = await b.classify(image, 2);
      expect(top).toHaveLength(2);
      expect(["a", "b", "c", "d", "e"]).toContain(top[0]!.label);
    } finally {
      await b.close();
    }
    await expect(Backbone.load("tiny_onnx", { from: classifierDir, cacheDir, imageSize: 48 })).rejects.toThrow(/fixed 16x16 input, so it cannot run at 48x48/);
  });

  it("says which manifest field does not match the ONNX file", async () => {
    const bad = async (manifest: Record<string, unknown>, dir: string, re: RegExp) => {
      write(dir, manifest);
      await expect(Backbone.load("tiny_onnx", { from: dir, cacheDir })).rejects.toThrow(re);
    };
    try {
      await bad({ ...featureManifest, input: { ...featureManifest.input, name: "image" } }, featureDir, /manifest field input\.name does not match the model: "image" is not an input of the model \(its inputs: pixels\)/);
      await bad({ ...featureManifest, output: { name: "embedding" } }, featureDir, /output\.name.*"embedding" is neither an output of the model \(pooled\) nor a tensor inside it/);
      await bad({ ...featureManifest, output: { name: "pooled", shape: ["batch", 1280] } }, featureDir, /manifest field output\.shape does not match the model: says 1280 features, the model's "pooled" has 4/);
      await bad({ ...classifierManifest, input: { ...classifierManifest.input, layout: "NHWC" } }, classifierDir, /manifest field input\.layout does not match the model: NHWC puts channels on axis 3, where the model has 16/);
      await bad({ ...classifierManifest, input: { ...classifierManifest.input, height: "dynamic", width: "dynamic" } }, classifierDir, /manifest field input\.height does not match the model: "dynamic", but the model's input is fixed at 16/);
      await bad({ ...classifierManifest, classifier: { output: "probs" } }, classifierDir, /manifest field classifier\.output does not match the model: "probs" is not an output/);
      await bad({ ...featureManifest, file: "missing.onnx" }, featureDir, /missing\.onnx \(named by .*manifest\.json field file\) is missing/);
    } finally {
      write(featureDir, featureManifest);
      write(classifierDir, classifierManifest);
    }
  });

  describe("over http", () => {
    let server: http.Server;
    let base: string;
    beforeAll(async () => {
      server = http.createServer((req, res) => {
        const file = path.join(root, path.normalize(decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname)));
        if (!file.startsWith(root) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) return void res.writeHead(404).end();
        res.writeHead(200).end(fs.readFileSync(file));
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it("downloads a manifest and its ONNX file into the cache with sha256 recorded, and detects a corrupted copy", async () => {
      const dlCache = tempDir("manifest-dl");
      try {
        const b = await Backbone.load("tiny_onnx", { from: `${base}/features/manifest.json`, cacheDir: dlCache });
        expect(b.featureDim).toBe(4);
        await b.close();
        const dir = path.join(dlCache, "models", "tiny_onnx");
        const integrity = JSON.parse(fs.readFileSync(path.join(dir, "integrity.json"), "utf8"));
        expect(Object.keys(integrity.files).sort()).toEqual(["manifest.json", "model.onnx"]);
        fs.appendFileSync(path.join(dir, "model.onnx"), "x");
        await expect(Backbone.load("tiny_onnx", { cacheDir: dlCache })).rejects.toThrow(/cached model tiny_onnx is corrupt: .*model\.onnx has \d+ bytes, expected \d+/);
      } finally {
        fs.rmSync(dlCache, { recursive: true, force: true });
      }
    });
  });
});
