import fs from "node:fs";
import path from "node:path";
import * as ort from "onnxruntime-node";
import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { convertLayersModel, samePadding } from "../src/convert";
import { decodeWeights, parseModelJson } from "../src/layersModel";
import { tempDir, writeTinyLayersModel } from "./helpers";

function nhwcToNchw(x: Float32Array, n: number, h: number, w: number, c: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let b = 0; b < n; b++)
    for (let y = 0; y < h; y++)
      for (let xx = 0; xx < w; xx++) for (let ch = 0; ch < c; ch++) out[((b * c + ch) * h + y) * w + xx] = x[((b * h + y) * w + xx) * c + ch]!;
  return out;
}

describe("TensorFlow 'same' padding", () => {
  it("puts the odd pixel after, as TensorFlow does", () => {
    expect(samePadding(224, 3, 2)).toEqual({ out: 112, before: 0, after: 1 });
    expect(samePadding(224, 3, 1)).toEqual({ out: 224, before: 1, after: 1 });
    expect(samePadding(7, 2, 2)).toEqual({ out: 4, before: 0, after: 1 });
    expect(samePadding(8, 1, 1)).toEqual({ out: 8, before: 0, after: 0 });
  });
});

describe("layers model -> ONNX conversion", () => {
  it("matches TF.js outputs on a tiny model with every supported layer kind (BN folded, asymmetric pads)", async () => {
    const dir = tempDir("tiny");
    const model = await writeTinyLayersModel(dir);
    const mj = parseModelJson(fs.readFileSync(path.join(dir, "model.json"), "utf8"), "model.json");
    const weights = decodeWeights(mj.weightsManifest, [new Uint8Array(fs.readFileSync(path.join(dir, "group1-shard1of1")))]);
    const converted = convertLayersModel(mj, weights, { featureLayer: "features_pool", includeOutput: true });
    expect(converted.featureDim).toBe(6);
    expect(converted.outputDim).toBe(5);
    const session = await ort.InferenceSession.create(converted.onnx);
    const n = 3;
    const x = Float32Array.from({ length: n * 32 * 32 * 3 }, (_, i) => Math.sin(i * 0.37) * 1.5);
    const featureModel = tf.model({ inputs: model.inputs, outputs: [model.getLayer("features_pool").output as tf.SymbolicTensor, model.outputs[0]!] });
    const [tfFeat, tfOut] = featureModel.predict(tf.tensor4d(x, [n, 32, 32, 3])) as tf.Tensor[];
    const out = await session.run({ input: new ort.Tensor("float32", nhwcToNchw(x, n, 32, 32, 3), [n, 3, 32, 32]) });
    const ours = out.features!.data as Float32Array;
    const theirs = await tfFeat!.data();
    expect(ours.length).toBe(theirs.length);
    let maxDiff = 0;
    for (let i = 0; i < ours.length; i++) maxDiff = Math.max(maxDiff, Math.abs(ours[i]! - theirs[i]!));
    expect(maxDiff).toBeLessThan(1e-4);
    const probs = out.output!.data as Float32Array;
    const tfProbs = await tfOut!.data();
    for (let i = 0; i < probs.length; i++) expect(probs[i]).toBeCloseTo(tfProbs[i]!, 5);
    // Features are not all zero: the comparison is meaningful.
    expect(Math.max(...Array.from(ours).map(Math.abs))).toBeGreaterThan(0.01);
  });

  it("names the unsupported layer", async () => {
    const dir = tempDir("bad");
    await writeTinyLayersModel(dir);
    const raw = JSON.parse(fs.readFileSync(path.join(dir, "model.json"), "utf8"));
    raw.modelTopology.config.layers[2].class_name = "Conv3D";
    const mj = parseModelJson(JSON.stringify(raw), "model.json");
    const weights = decodeWeights(mj.weightsManifest, [new Uint8Array(fs.readFileSync(path.join(dir, "group1-shard1of1")))]);
    expect(() => convertLayersModel(mj, weights, { featureLayer: "features_pool" })).toThrow(/layer conv1_bn: layer class Conv3D is not supported/);
  });

  it("rejects a weights file shorter than the manifest says", async () => {
    const dir = tempDir("short");
    await writeTinyLayersModel(dir);
    const mj = parseModelJson(fs.readFileSync(path.join(dir, "model.json"), "utf8"), "model.json");
    const bytes = new Uint8Array(fs.readFileSync(path.join(dir, "group1-shard1of1"))).subarray(0, 100);
    expect(() => decodeWeights(mj.weightsManifest, [bytes])).toThrow(/too short/);
  });

  it("explains what a non-model JSON is missing", () => {
    expect(() => parseModelJson('{"hello": 1}', "x/model.json")).toThrow(/x\/model.json: not a TensorFlow.js layers model/);
  });
});
