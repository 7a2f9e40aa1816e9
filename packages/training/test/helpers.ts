import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import sharp from "sharp";
import * as tf from "@tensorflow/tfjs";
import { ASSETS, findCourseAssets } from "../../../tooling/course-assets";

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, "../../..");

/**
 * The shared offline assets (COURSE_ASSETS_DIR, else ../shared/assets), or undefined when absent: the caller skips,
 * except in CI, where this throws (see tooling/course-assets.ts).
 */
export function assetsDir(what = "this training test file", required: readonly string[] = [ASSETS.mobilenet]): string | undefined {
  return findCourseAssets(what, required);
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `course-training-${prefix}-`));
}

/** A solid-colour image with a little seeded noise, written with sharp. */
export async function writeImage(file: string, rgb: [number, number, number], opts: { size?: [number, number]; seed?: number; format?: "jpeg" | "png" } = {}): Promise<void> {
  const [w, h] = opts.size ?? [40, 30];
  const data = Buffer.alloc(w * h * 3);
  let s = (opts.seed ?? 1) >>> 0;
  for (let i = 0; i < data.length; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    data[i] = Math.max(0, Math.min(255, rgb[i % 3]! + ((s >>> 24) % 41) - 20));
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const img = sharp(data, { raw: { width: w, height: h, channels: 3 } });
  await (opts.format === "png" ? img.png() : img.jpeg()).toFile(file);
}

/** A small dataset: one colour per class, with train/valid/test. */
export async function makeColourDataset(root: string, classes: Record<string, [number, number, number]>, perClass = { train: 6, valid: 3 }, test = 4): Promise<void> {
  let seed = 1;
  for (const [name, rgb] of Object.entries(classes)) {
    for (let i = 0; i < perClass.train; i++) await writeImage(path.join(root, "train", name, `${name}${i}.jpg`), rgb, { seed: seed++ });
    for (let i = 0; i < perClass.valid; i++) await writeImage(path.join(root, "valid", name, `${name}v${i}.jpg`), rgb, { seed: seed++ });
  }
  const colours = Object.values(classes);
  for (let i = 0; i < test; i++) await writeImage(path.join(root, "test", `${i + 1}.jpg`), colours[i % colours.length]!, { seed: seed++ });
}

/**
 * A tiny TF.js layers model saved the way TF.js saves it (model.json + one shard),
 * using the layer types of our backbones, with non-trivial BatchNorm statistics.
 */
export async function writeTinyLayersModel(dir: string, opts: { inputSize?: number; seed?: number } = {}): Promise<tf.LayersModel> {
  await tf.setBackend("cpu");
  const size = opts.inputSize ?? 32;
  const input = tf.input({ shape: [size, size, 3], name: "input_1" });
  let x = tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: "same", useBias: false, name: "conv1" }).apply(input) as tf.SymbolicTensor;
  x = tf.layers.batchNormalization({ name: "conv1_bn", epsilon: 1e-3 }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.activation({ activation: "relu6", name: "conv1_relu" }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.depthwiseConv2d({ kernelSize: 3, strides: 2, padding: "same", useBias: false, name: "dw" }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.batchNormalization({ name: "dw_bn" }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.leakyReLU({ alpha: 0.1, name: "dw_leaky" }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.zeroPadding2d({ padding: [[1, 0], [0, 1]], name: "pad" }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.conv2d({ filters: 6, kernelSize: 3, padding: "valid", activation: "relu", name: "conv2" }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.maxPooling2d({ poolSize: 2, strides: 2, padding: "same", name: "pool" }).apply(x) as tf.SymbolicTensor;
  const features = tf.layers.globalAveragePooling2d({ name: "features_pool" }).apply(x) as tf.SymbolicTensor;
  let y = tf.layers.reshape({ targetShape: [1, 1, 6], name: "reshape_1" }).apply(features) as tf.SymbolicTensor;
  y = tf.layers.conv2d({ filters: 5, kernelSize: 1, padding: "same", name: "preds" }).apply(y) as tf.SymbolicTensor;
  y = tf.layers.activation({ activation: "softmax", name: "act_softmax" }).apply(y) as tf.SymbolicTensor;
  y = tf.layers.reshape({ targetShape: [5], name: "reshape_2" }).apply(y) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: y });
  // Deterministic, non-trivial weights (including BatchNorm moving statistics).
  let s = (opts.seed ?? 7) >>> 0;
  const rand = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  for (const layer of model.layers) {
    const ws = layer.getWeights();
    if (ws.length === 0) continue;
    layer.setWeights(
      ws.map((w, i) => {
        const n = w.size;
        const isVariance = layer.name.endsWith("_bn") && i === 3;
        return tf.tensor(Float32Array.from({ length: n }, () => (isVariance ? 0.2 + rand() : rand() * 1.2 - 0.6)), w.shape);
      }),
    );
  }
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      fs.mkdirSync(dir, { recursive: true });
      const data = artifacts.weightData as ArrayBuffer;
      fs.writeFileSync(path.join(dir, "group1-shard1of1"), Buffer.from(data));
      fs.writeFileSync(
        path.join(dir, "model.json"),
        JSON.stringify({ modelTopology: artifacts.modelTopology, weightsManifest: [{ paths: ["group1-shard1of1"], weights: artifacts.weightSpecs }] }),
      );
      fs.writeFileSync(path.join(dir, "labels.json"), JSON.stringify({ labels: ["zero", "one", "two", "three", "four"] }));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
    }),
  );
  return model;
}
