import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Backbone } from "../src/backbone";
import { PretrainedClassifier, type FitProgress } from "../src/classifier";
import { nvidiaGpuPresent } from "../src/engine";
import { ImageFolder } from "../src/data";
import { interpret } from "../src/interpret";
import { confusionMatrixSvg, trainingCurvesSvg } from "../src/plots";
import { registerBackbone } from "../src/registry";
import { renderReport } from "../src/report";
import { writeSubmission } from "../src/submission";
import { makeColourDataset, tempDir, writeTinyLayersModel } from "./helpers";

/** The whole few-lines flow on a tiny registered backbone and synthetic colour images. */
describe("PretrainedClassifier on a tiny backbone", () => {
  const modelDir = tempDir("tinymodel");
  const cacheDir = tempDir("tinycache");
  const dataDir = tempDir("tinydata");
  beforeAll(async () => {
    await writeTinyLayersModel(modelDir);
    registerBackbone({
      id: "tiny_test",
      description: "tiny test network",
      inputSize: [32, 32],
      preprocessing: "darknet",
      featureLayer: "conv2",
      labels: { file: "labels.json" },
      outputIsLogits: false,
    });
    await makeColourDataset(dataDir, { reds: [220, 40, 40], blues: [40, 40, 220], greens: [40, 200, 40] }, { train: 8, valid: 4 }, 6);
  });
  afterAll(() => {
    for (const d of [modelDir, cacheDir, dataDir]) fs.rmSync(d, { recursive: true, force: true });
  });

  it("fits with progress, predicts probabilities, evaluates, saves, restores and writes a submission", async () => {
    const model = await PretrainedClassifier.load("tiny_test", { from: modelDir, cacheDir });
    expect(model.backend).toBe("onnxruntime-cpu");
    const data = await ImageFolder.load(dataDir);
    model.finetune(data.classes);
    const events: FitProgress[] = [];
    const history = await model.fit(data.train, data.valid, { epochs: 30, learningRate: 0.05, onProgress: (p) => events.push(p) });
    const epochs = events.filter((e) => e.phase === "epoch");
    expect(epochs).toHaveLength(30);
    expect(epochs[0]).toMatchObject({ epoch: 1, epochs: 30 });
    for (const e of epochs) {
      expect(e.validAccuracy).toBeTypeOf("number");
      expect(e.etaSeconds).toBeGreaterThanOrEqual(0);
    }
    expect(events.some((e) => e.phase === "features" && e.split === "train")).toBe(true);
    expect(history.epochs.at(-1)!.validAccuracy).toBe(1);

    const ev = await model.evaluate(data.valid);
    expect(ev.accuracy).toBe(1);
    expect(ev.confusion.matrix).toEqual([
      [4, 0, 0],
      [0, 4, 0],
      [0, 0, 4],
    ]);

    const preds = await model.predict(data.test);
    expect(preds.ids).toEqual(["1", "2", "3", "4", "5", "6"]);
    for (const row of preds.probs) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    // Test images cycle through the colours reds, blues, greens (see makeColourDataset).
    expect(PretrainedClassifier.labelsOf(preds)).toEqual(["reds", "blues", "greens", "reds", "blues", "greens"]);

    const saved = path.join(dataDir, "model.json");
    await model.save(saved);
    const restored = await PretrainedClassifier.restore(saved, { from: modelDir, cacheDir });
    expect(restored.classes).toEqual(data.classes);
    expect((await restored.predict(data.test)).probs).toEqual(preds.probs);

    const csv = path.join(dataDir, "submission.csv");
    await writeSubmission(preds, csv, { positiveClass: "reds" });
    const lines = fs.readFileSync(csv, "utf8").trim().split("\n");
    expect(lines[0]).toBe("id,label");
    expect(lines).toHaveLength(7);
    expect(Number(lines[1]!.split(",")[1])).toBeGreaterThan(0.5);

    const interp = interpret(ev.predictions, data.valid.labels, 3);
    expect(interp.mostConfidentCorrect).toHaveLength(3);
    expect(interp.mostConfidentWrong).toHaveLength(0);
    expect(interp.mostUncertain[0]!.confidence).toBeLessThanOrEqual(interp.mostConfidentCorrect[0]!.confidence);
    const html = await renderReport({ modelId: model.id, backend: model.backend, classes: model.classes, evaluation: ev, interpretation: interp, epochs: history.epochs });
    expect(html).toContain("<svg");
    expect(html).toMatch(/data:image\/jpeg;base64,[A-Za-z0-9+/]{100}/);
    expect(html).toContain("100.00%");
    const curves = trainingCurvesSvg(history.epochs);
    expect(curves.match(/<polyline/g)).toHaveLength(4);
    expect(confusionMatrixSvg(ev.confusion)).toContain(">4</text>");
    await model.close();
    await restored.close();
  });

  it("reuses cached features keyed by file content, and refuses a head trained on other weights", async () => {
    const model = await PretrainedClassifier.load("tiny_test", { from: modelDir, cacheDir });
    const data = await ImageFolder.load(dataDir);
    // Same bytes under another name hit the cache too (key = sha1 of the content).
    const copy = path.join(cacheDir, "copy-of-first.jpg");
    fs.copyFileSync(data.train.files[0]!, copy);
    let cached = 0;
    const feats = await model.backbone.extractFeatures([...data.train.files, copy], { onProgress: (p) => (cached = p.cached) });
    expect(cached).toBe(data.train.files.length + 1);
    expect(feats.at(-1)).toEqual(feats[0]);
    const fresh = await model.backbone.extractFeatures(data.train.files.slice(0, 3), { cache: false });
    for (let i = 0; i < 3; i++) for (let j = 0; j < fresh[i]!.length; j++) expect(fresh[i]![j]).toBeCloseTo(feats[i]![j]!, 5);

    model.finetune(data.classes);
    await model.fit(data.train, undefined, { epochs: 1 });
    const saved = path.join(cacheDir, "finetuned.json");
    await model.save(saved);
    const otherWeights = tempDir("tinyother");
    await writeTinyLayersModel(otherWeights, { seed: 99 });
    await expect(PretrainedClassifier.restore(saved, { from: otherWeights, cacheDir })).rejects.toThrow(/was trained on tiny_test weights/);
    await model.close();
  });

  it.skipIf(nvidiaGpuPresent())("reports the CPU engine honestly when there is no GPU, and refuses device cuda", async () => {
    const auto = await Backbone.load("tiny_test", { from: modelDir, cacheDir, device: "auto" });
    expect(auto.backend).toBe("onnxruntime-cpu");
    expect(auto.backendNote).toBe("no NVIDIA GPU detected");
    await auto.close();
    await expect(Backbone.load("tiny_test", { from: modelDir, cacheDir, device: "cuda" })).rejects.toThrow(/CUDA execution provider unavailable/);
  });

  it("says to call finetune first, and names unreadable images", async () => {
    const model = await PretrainedClassifier.load("tiny_test", { from: modelDir, cacheDir });
    await expect(model.predict([path.join(dataDir, "test", "1.jpg")])).rejects.toThrow(/finetune/);
    await expect(model.predict(undefined)).rejects.toThrow(/test\/ folder/);
    const bad = path.join(cacheDir, "bad.jpg");
    fs.writeFileSync(bad, Buffer.from([0xff, 0xd8, 0xff, 0x00, 0x01]));
    await expect(model.backbone.extractFeatures([bad])).rejects.toThrow(/cannot decode image .*bad\.jpg/);
    await model.close();
  });
});
