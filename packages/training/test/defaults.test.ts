import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ASSETS } from "../../../tooling/course-assets";
import { PretrainedClassifier } from "../src/classifier";
import { ImageFolder } from "../src/data";
import { ModelUnavailableError, MODELS_FROM_ENV } from "../src/modelStore";
import { rng } from "../src/random";
import { selectHeadByCrossValidation } from "../src/selectHead";
import { assetsDir, tempDir } from "./helpers";

/** The best default: head regularisation chosen by cross-validation on train, the strongest backbone, --image-size. */

/** Two Gaussian classes in `dim` dimensions; `flip` of the labels are wrong. */
function blobs(n: number, dim: number, seed: number, flip = 0): { x: Float32Array[]; y: number[] } {
  const random = rng(seed);
  const x: Float32Array[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const label = i % 2;
    x.push(Float32Array.from({ length: dim }, (_, j) => (j < 3 ? (label ? 0.6 : -0.6) : 0) + (random() - 0.5) * 2));
    y.push(random() < flip ? 1 - label : label);
  }
  return { x, y };
}

describe("head regularisation by cross-validation", () => {
  it("chooses strong decay for noisy labels in many dimensions and scores every candidate out of fold", () => {
    const { x, y } = blobs(240, 200, 1, 0.15);
    const sel = selectHeadByCrossValidation(["a", "b"], x, undefined, y, { folds: 4 });
    expect(sel.folds).toBe(4);
    expect(sel.scores).toHaveLength(4);
    for (const s of sel.scores) {
      expect(s.logLoss).toBeGreaterThan(0);
      expect(s.standardError).toBeGreaterThan(0);
    }
    // The light-decay head overfits the 15% wrong labels: its out-of-fold loss is the worst, and it is not chosen.
    expect(sel.scores[0]!.logLoss).toBeGreaterThan(sel.scores.at(-1)!.logLoss);
    expect(sel.chosen.weightDecay).toBeGreaterThan(0.01);
  });

  it("keeps an image and its mirror in the same fold: mirrored copies cannot leak the held-out image", () => {
    // Mirrors identical to the originals: with leakage, light decay would look perfect out of fold.
    const { x, y } = blobs(120, 200, 2, 0.2);
    const sel = selectHeadByCrossValidation(["a", "b"], x, x, y, { folds: 4, candidates: [{ epochs: 8, weightDecay: 0.01 }] });
    expect(sel.scores[0]!.accuracy).toBeLessThan(0.95);
  });
});

const assets = assetsDir("the best-default tests", [ASSETS.mobilenet, ASSETS.mobilenetV2, ASSETS.kaggleSample]);
const bin = path.resolve(import.meta.dirname, "..", "bin", "course-train.js");
function cli(args: string[], env: Record<string, string | undefined>) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", env: { ...process.env, ...env }, timeout: 240_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe.skipIf(!assets)("the strongest backbone by default, at 288 pixels", () => {
  const work = tempDir("defaults");
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  /** A small dogs-vs-cats folder: n train and m valid photos per class, copied from the sample. */
  function smallData(n: number, m: number): string {
    const dir = path.join(work, "data");
    if (fs.existsSync(dir)) return dir;
    const src = path.join(assets!, ASSETS.kaggleSample);
    for (const [label, cls] of [["cat", "cats"], ["dog", "dogs"]] as const) {
      for (let i = 0; i < n + m; i++) {
        const to = path.join(dir, i < n ? "train" : "valid", cls, `${label}.${i}.jpg`);
        fs.mkdirSync(path.dirname(to), { recursive: true });
        fs.copyFileSync(path.join(src, `${label}.${i}.jpg`), to);
      }
    }
    return dir;
  }

  it("best() falls back to MobileNet v1 with a printed reason when v2 is missing, and fails naming both when neither is there", async () => {
    const only = path.join(work, "models-v1-only");
    fs.mkdirSync(only, { recursive: true });
    fs.symlinkSync(path.join(assets!, "models", "mobilenet_v1_0.75_224"), path.join(only, "mobilenet_v1_0.75_224"));
    const saved = process.env[MODELS_FROM_ENV];
    process.env[MODELS_FROM_ENV] = only;
    try {
      const notes: string[] = [];
      const model = await PretrainedClassifier.best({ cacheDir: path.join(work, "cache-a"), onFallback: (w) => notes.push(w) });
      expect(model.description).toBe("mobilenet_v1_0.75_224 at 224x224 on onnxruntime-cpu");
      expect(notes).toHaveLength(1);
      expect(notes[0]).toMatch(/^using mobilenet_v1_0\.75_224 at 224x224 on onnxruntime-cpu because mobilenet_v2_1\.0 is unavailable \(Model "mobilenet_v2_1\.0" is missing: .*models-v1-only\/mobilenet_v2_1\.0\/manifest\.json does not exist\. Provide it with the env var COURSE_MODELS_FROM/);
      expect(model.fallbackNote).toBe(notes[0]);
      await model.close();

      process.env[MODELS_FROM_ENV] = path.join(work, "no-models-here");
      const err = await PretrainedClassifier.best({ cacheDir: path.join(work, "cache-b"), onFallback: () => undefined }).catch((e: Error) => e);
      expect(err).toBeInstanceOf(ModelUnavailableError);
      expect((err as Error).message).toMatch(/No pretrained backbone is available: mobilenet_v2_1\.0 is unavailable .*; mobilenet_v1_0\.75_224 is unavailable/);
    } finally {
      if (saved === undefined) delete process.env[MODELS_FROM_ENV];
      else process.env[MODELS_FROM_ENV] = saved;
    }
  });

  it("course-train fit uses mobilenet_v2_1.0 at 288 from COURSE_MODELS_FROM's shared folder, says so, and predicts at the same size", { timeout: 300_000 }, async () => {
    const data = smallData(12, 4);
    const env = { COURSE_MODEL_CACHE: path.join(work, "cache"), COURSE_MODELS_FROM: path.join(assets!, "models") };
    const fit = cli(["fit", data], env);
    expect(fit.stderr + fit.stdout).not.toMatch(/course-train: (?!using)/);
    expect(fit.code).toBe(0);
    expect(fit.stdout).toContain("ran: mobilenet_v2_1.0 at 288x288 on onnxruntime-cpu");
    expect(fit.stdout).toMatch(/head: 8 epochs, weight decay [\d.]+ \(chosen by \d-fold cross-validation on train\/\)/);
    const saved = JSON.parse(fs.readFileSync(path.join(data, "finetuned.json"), "utf8"));
    expect(saved.backbone).toMatchObject({ id: "mobilenet_v2_1.0", imageSize: 288 });
    // The features of each size are cached under their own key.
    const keys = fs.readdirSync(path.join(work, "cache", "features"));
    expect(keys.some((k) => k.endsWith("-288x288"))).toBe(true);

    const ev = cli(["evaluate", data], env);
    expect(ev.code).toBe(0);
    expect(ev.stderr).toContain("mobilenet_v2_1.0 at 288x288 on onnxruntime-cpu");
    expect(Number(/accuracy ([\d.]+)%/.exec(ev.stdout)?.[1])).toBeGreaterThanOrEqual(87.5);

    const report = cli(["report", data, "--out", path.join(work, "report.html")], env);
    expect(report.code).toBe(0);
    expect(fs.readFileSync(path.join(work, "report.html"), "utf8")).toContain("mobilenet_v2_1.0 at 288x288 on onnxruntime-cpu");

    const at224 = cli(["fit", data, "--model", "mobilenet_v2_1.0", "--image-size", "224", "--out", path.join(work, "v2-224.json")], env);
    expect(at224.code).toBe(0);
    expect(at224.stdout).toContain("ran: mobilenet_v2_1.0 at 224x224");
    expect(fs.readdirSync(path.join(work, "cache", "features")).some((k) => k.endsWith("-224x224"))).toBe(true);

    const fixed = cli(["fit", data, "--model", "mobilenet_v1_0.75_224", "--image-size", "288"], env);
    expect(fixed.code).toBe(1);
    expect(fixed.stderr).toContain("mobilenet_v1_0.75_224 takes a fixed 224x224 input, so it cannot run at 288x288");

    const data2 = await ImageFolder.load(data);
    expect(data2.train.files).toHaveLength(24);
  });
});
