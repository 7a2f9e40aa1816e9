/**
 * `npm run bench:accuracy`: each backbone and image size, fine-tuned with the library's defaults (head chosen by
 * cross-validation on train, mirrored training images, flip TTA) on a seeded 80/20 split of the shared dogs-vs-cats
 * sample; validation accuracy, log loss and time. Features are cached (BENCH_CACHE, default the library's cache), so
 * a second run only retrains heads; time is reported for both the features and the head.
 *
 * BENCH_TIME_SAMPLE=N (default 0) times a fresh extraction (cache off, both views) of N photos per backbone and
 * reports the time for all the sample's photos from it: with warm caches the time column is otherwise the head's alone.
 *
 * Env: COURSE_ASSETS_DIR (default <repo>/../shared/assets), BENCH_CONFIGS (default
 * "mobilenet_v1_0.75_224:224,mobilenet_v2_1.0:224,mobilenet_v2_1.0:288"), BENCH_SEED (42), BENCH_CACHE, BENCH_JSON (write results).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { courseAssetsDir } from "../../../tooling/course-assets";
import { PretrainedClassifier } from "./classifier";
import type { LabeledImages } from "./data";
import { rng, shuffleInPlace } from "./random";

// A dev-only benchmark, so it may read the assets beside the repository; product code never does.
const assets = courseAssetsDir();
const imageDir = path.join(assets, "datasets", "dogscats-kaggle-sample", "train");
const folders: Record<string, string> = { "mobilenet_v2_1.0": "mobilenet_v2_1.0_features" };
const configs = (process.env.BENCH_CONFIGS ?? "mobilenet_v1_0.75_224:224,mobilenet_v2_1.0:224,mobilenet_v2_1.0:288").split(",").map((c) => {
  const [id, size] = c.split(":");
  return { id: id!, size: Number(size) };
});
const seed = Number(process.env.BENCH_SEED ?? 42);

const missing = [imageDir, ...configs.map((c) => path.join(assets, "models", folders[c.id] ?? c.id))].filter((p) => !fs.existsSync(p));
if (missing.length) {
  console.error(`bench:accuracy: missing ${missing.join(", ")}; set COURSE_ASSETS_DIR to the course assets folder`);
  process.exit(1);
}

/** Seeded per-class 80/20 split of cat.N.jpg / dog.N.jpg. */
function split(): { train: LabeledImages; valid: LabeledImages } {
  const classes = ["cats", "dogs"];
  const random = rng(seed);
  const train: LabeledImages = { classes, files: [], labels: [] };
  const valid: LabeledImages = { classes, files: [], labels: [] };
  for (const [y, prefix] of ["cat.", "dog."].entries()) {
    const files = shuffleInPlace(fs.readdirSync(imageDir).filter((f) => f.startsWith(prefix)).sort(), random);
    const nValid = Math.round(files.length * 0.2);
    files.forEach((f, i) => {
      const set = i < nValid ? valid : train;
      set.files.push(path.join(imageDir, f));
      set.labels.push(y);
    });
  }
  return { train, valid };
}

const { train, valid } = split();
console.log(`bench:accuracy: ${train.files.length} train / ${valid.files.length} valid photos (seed ${seed}); ${os.cpus().length} CPU(s), load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
interface Row {
  backbone: string;
  size: number;
  accuracy: number;
  logLoss: number;
  seconds: number;
  featureSeconds: number;
  headSeconds: number;
  featuresAllSeconds: number | undefined;
  head: string;
  ran: string;
}
const rows: Row[] = [];
for (const c of configs) {
  const t0 = performance.now();
  const model = await PretrainedClassifier.load(c.id, { from: path.join(assets, "models", folders[c.id] ?? c.id), imageSize: c.size, cacheDir: process.env.BENCH_CACHE });
  model.finetune(train.classes, { seed });
  const history = await model.fit(train, valid, { seed });
  const ev = await model.evaluate(valid);
  const seconds = (performance.now() - t0) / 1000;
  const chosen = history.selection?.chosen;
  const sample = Number(process.env.BENCH_TIME_SAMPLE ?? 0);
  let featuresAll: number | undefined;
  if (sample > 0) {
    const t = performance.now();
    await model.features(train.files.slice(0, sample), "timing", { cache: false, mirrored: true });
    featuresAll = ((performance.now() - t) / 1000 / sample) * (train.files.length + valid.files.length);
  }
  const row: Row = {
    backbone: c.id,
    size: c.size,
    accuracy: ev.accuracy,
    logLoss: ev.logLoss,
    seconds,
    featureSeconds: history.featureSeconds,
    headSeconds: history.trainSeconds,
    featuresAllSeconds: featuresAll,
    head: chosen ? `${chosen.epochs} epochs, wd ${chosen.weightDecay}` : "",
    ran: model.description,
  };
  rows.push(row);
  console.log(JSON.stringify(row));
  await model.close();
}
console.log("\n| backbone | size | accuracy | log loss | time: features (this run, cached or not) + head | features of all photos, fresh | head (by CV) |\n| --- | --- | --- | --- | --- | --- | --- |");
for (const r of rows) {
  const fresh = r.featuresAllSeconds === undefined ? "not timed" : `${r.featuresAllSeconds.toFixed(0)} s`;
  console.log(`| ${r.backbone} | ${r.size} | ${(r.accuracy * 100).toFixed(2)}% | ${r.logLoss.toFixed(4)} | ${r.featureSeconds.toFixed(1)} + ${r.headSeconds.toFixed(1)} s | ${fresh} | ${r.head} |`);
}
if (process.env.BENCH_JSON) fs.writeFileSync(process.env.BENCH_JSON, JSON.stringify(rows, null, 2));
