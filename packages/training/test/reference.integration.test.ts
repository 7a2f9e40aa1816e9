import fs from "node:fs";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Backbone } from "../src/backbone";
import { decodeResized } from "../src/images";
import { pixelScaling } from "../src/registry";
import { assetsDir, tempDir } from "./helpers";

/** Our onnxruntime features against TF.js running the original layers model (cpu backend). */
const assets = assetsDir();
const photos = ["cat.3.jpg", "dog.7.jpg", "cat.500.jpg"];

async function tfjsModel(dir: string): Promise<tf.LayersModel> {
  const raw = JSON.parse(fs.readFileSync(path.join(dir, "model.json"), "utf8"));
  const groups = raw.weightsManifest as { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  const bytes = Buffer.concat(groups.flatMap((g) => g.paths.map((p) => fs.readFileSync(path.join(dir, p)))));
  return tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: raw.modelTopology,
      weightSpecs: groups.flatMap((g) => g.weights),
      weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    }),
  );
}

describe.skipIf(!assets)("numerical agreement with TF.js on real photos", () => {
  const cache = tempDir("ref");
  beforeAll(async () => {
    await tf.setBackend("cpu");
  });
  afterAll(() => fs.rmSync(cache, { recursive: true, force: true }));

  for (const id of ["mobilenet_v1_0.75_224", "darknet_tiny"]) {
    it(`${id}: pooled features within 1e-3 of TF.js, and the same ImageNet top-1`, async () => {
      const modelDir = path.join(assets!, "models", id);
      const files = photos.map((f) => path.join(assets!, "datasets", "dogscats-kaggle-sample", "train", f));
      const backbone = await Backbone.load(id, { from: modelDir, cacheDir: cache, device: "cpu" });
      expect(backbone.backend).toBe("onnxruntime-cpu");
      const ours = await backbone.extractFeatures(files, { cache: false });

      const model = await tfjsModel(modelDir);
      const spec = backbone.spec;
      const featureLayer = model.getLayer(spec.featureLayer).output as tf.SymbolicTensor;
      const both = tf.model({ inputs: model.inputs, outputs: [featureLayer, model.outputs[0]!] });
      const { scale, offset } = pixelScaling(spec.preprocessing);
      const batch = new Float32Array(files.length * 224 * 224 * 3);
      for (const [i, f] of files.entries()) {
        const rgb = await decodeResized(f, 224, 224);
        for (let j = 0; j < rgb.length; j++) batch[i * rgb.length + j] = rgb[j]! * scale + offset;
      }
      const [feat, out] = both.predict(tf.tensor4d(batch, [files.length, 224, 224, 3])) as tf.Tensor[];
      const pooled = feat!.shape.length === 4 ? feat!.mean([1, 2]) : feat!;
      const theirs = (await pooled.array()) as number[][];
      let maxDiff = 0;
      ours.forEach((f, i) => f.forEach((v, j) => (maxDiff = Math.max(maxDiff, Math.abs(v - theirs[i]![j]!)))));
      console.log(`${id}: max |ours - tfjs| over ${files.length} images x ${ours[0]!.length} features = ${maxDiff.toExponential(2)}`);
      expect(maxDiff).toBeLessThan(1e-3);

      const scores = (await out!.array()) as number[][];
      for (const [i, f] of files.entries()) {
        const top = await backbone.classify(f, 1);
        const tfTop = scores[i]!.indexOf(Math.max(...scores[i]!));
        expect(top[0]!.index).toBe(tfTop);
      }
      await backbone.close();
    });
  }

  it("mobilenet classify() names a cat breed for a cat and a dog breed for a dog (Keras class order)", async () => {
    const backbone = await Backbone.load("mobilenet_v1_0.75_224", { from: path.join(assets!, "models", "mobilenet_v1_0.75_224"), cacheDir: cache });
    const train = path.join(assets!, "datasets", "dogscats-kaggle-sample", "train");
    const cat = await backbone.classify(path.join(train, "cat.1.jpg"), 5);
    const dog = await backbone.classify(path.join(train, "dog.1.jpg"), 5);
    expect(cat[0]!.index).toBeGreaterThanOrEqual(281);
    expect(cat[0]!.index).toBeLessThanOrEqual(285);
    expect(cat[0]!.label).toMatch(/cat/);
    expect(dog[0]!.index).toBeGreaterThanOrEqual(151);
    expect(dog[0]!.index).toBeLessThanOrEqual(268);
    expect(cat.map((c) => c.probability)).toEqual([...cat.map((c) => c.probability)].sort((a, b) => b - a));
    await backbone.close();
  });
});
