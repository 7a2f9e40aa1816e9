import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PretrainedClassifier } from "../src/classifier";
import { ImageFolder } from "../src/data";
import { prepareKaggle } from "../src/prepare";
import { assetsDir, tempDir } from "./helpers";

/**
 * The lesson on real photos: prepare Kaggle's flat sample, fine-tune MobileNet,
 * evaluate; then the same through the CLI, reusing the features cached by the first run.
 */
const assets = assetsDir();
const bin = path.resolve(__dirname, "..", "bin", "course-train.js");

function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", env: { ...process.env, ...env }, timeout: 180_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe.skipIf(!assets)("dogs vs cats sample (2002 photos)", () => {
  const work = tempDir("dogscats");
  const cacheDir = path.join(work, "cache");
  const dataDir = path.join(work, "data");
  const kaggle = path.join(assets ?? "", "datasets", "dogscats-kaggle-sample");
  const modelDir = path.join(assets ?? "", "models", "mobilenet_v1_0.75_224");
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  it("seeded 80/20 split: >= 98% validation accuracy, whole run under 2 minutes", { timeout: 240_000 }, async () => {
    const started = performance.now();
    await prepareKaggle({ trainDir: path.join(kaggle, "train"), outDir: dataDir, validFraction: 0.2, seed: 42 });
    const data = await ImageFolder.load(dataDir);
    expect(data.train.files).toHaveLength(1602);
    expect(data.valid.files).toHaveLength(400);
    const model = await PretrainedClassifier.load("mobilenet_v1_0.75_224", { from: modelDir, cacheDir });
    model.finetune(data.classes);
    const history = await model.fit(data.train, data.valid, { epochs: 3 });
    const ev = await model.evaluate(data.valid);
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `dogs vs cats: valid accuracy ${(ev.accuracy * 100).toFixed(2)}%, log loss ${ev.logLoss.toFixed(4)}, ` +
        `confusion ${JSON.stringify(ev.confusion.matrix)}, features ${history.featureSeconds.toFixed(1)}s, head ${history.trainSeconds.toFixed(2)}s, ` +
        `whole run ${seconds.toFixed(1)}s on ${model.backend}`,
    );
    expect(ev.accuracy).toBeGreaterThanOrEqual(0.98);
    expect(history.epochs.at(-1)!.validAccuracy).toBe(ev.accuracy);
    expect(seconds).toBeLessThan(120);
    await model.close();
  });

  it("course-train prepare / fit / evaluate / predict / report / classify", { timeout: 240_000 }, () => {
    const env = { COURSE_MODEL_CACHE: cacheDir, COURSE_MODELS_FROM: path.join(assets!, "models") };
    const testSrc = path.join(work, "test1-few");
    fs.mkdirSync(testSrc);
    for (const f of ["1.jpg", "2.jpg", "3.jpg", "10.jpg", "11.jpg"]) fs.copyFileSync(path.join(kaggle, "test1", f), path.join(testSrc, f));
    const cliData = path.join(work, "cli-data");

    const prep = cli(["prepare", path.join(kaggle, "train"), cliData, "--test", testSrc, "--seed", "42", "--sample", "20"], env);
    expect(prep.stderr).toBe("");
    expect(prep.stdout).toContain("cats: train 801, valid 200, sample 20/5");
    expect(prep.stdout).toContain("test/unknown: 5");

    // The v1 backbone on purpose (fit's default is the strongest available: test/defaults.test.ts covers it).
    const fit = cli(["fit", cliData, "--epochs", "3", "--model", "mobilenet_v1_0.75_224"], env);
    expect(fit.code).toBe(0);
    expect(fit.stderr).toMatch(/^epoch 3\/3 {2}loss [\d.]+ {2}accuracy [\d.]+% {2}valid loss [\d.]+ {2}valid accuracy [\d.]+%/m);
    expect(fit.stderr).toContain("onnxruntime-cpu");
    expect(fit.stderr).not.toContain("\r"); // not a TTY: plain lines, no bar
    const acc = Number(/valid accuracy ([\d.]+)%/.exec(fit.stdout)?.[1]);
    expect(acc).toBeGreaterThanOrEqual(98);
    expect(fs.existsSync(path.join(cliData, "finetuned.json"))).toBe(true);

    const ev = cli(["evaluate", cliData], env);
    expect(ev.code).toBe(0);
    expect(ev.stdout).toMatch(/valid: 400 images, accuracy [\d.]+%, log loss [\d.]+/);
    expect(ev.stdout).toMatch(/^cats\s+\d+\s+\d+$/m);

    const pred = cli(["predict", cliData, "--clip", "0.005"], env);
    expect(pred.code).toBe(0);
    const rows = fs.readFileSync(path.join(cliData, "submission.csv"), "utf8").trim().split("\n");
    expect(rows[0]).toBe("id,label");
    expect(rows.slice(1).map((r) => r.split(",")[0])).toEqual(["1", "2", "3", "10", "11"]);
    for (const r of rows.slice(1)) {
      const p = Number(r.split(",")[1]);
      expect(p).toBeGreaterThanOrEqual(0.005);
      expect(p).toBeLessThanOrEqual(0.995);
    }

    const report = cli(["report", cliData, "--out", path.join(work, "report.html")], env);
    expect(report.code).toBe(0);
    const html = fs.readFileSync(path.join(work, "report.html"), "utf8");
    expect(html).toContain("Most confident and wrong");
    expect(html).toMatch(/data:image\/jpeg;base64,/);
    expect(fs.readFileSync(path.join(work, "report-confusion.svg"), "utf8")).toMatch(/^<svg/);

    const cls = cli(["classify", path.join(kaggle, "train", "cat.1.jpg"), "--top", "3"], env);
    expect(cls.code).toBe(0);
    expect(cls.stdout.trim().split("\n")).toHaveLength(3);
    expect(cls.stdout.split("\n")[0]).toMatch(/%\s+.*cat/);

    const bad = cli(["fit", kaggle], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("train/: no class folders");
    expect(bad.stderr).toContain("Expected layout:");

    const usage = cli(["frobnicate"], env);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('unknown command "frobnicate"');
    const badNum = cli(["fit", cliData, "--epochs", "many"], env);
    expect(badNum.code).toBe(2);
    expect(badNum.stderr).toContain("--epochs must be a number");
  });
});
