import fs from "node:fs/promises";
import path from "node:path";
import { naturalCompare } from "./data";
import { IMAGE_EXTENSIONS } from "./images";
import { rng, shuffleInPlace } from "./random";

/**
 * Turn Kaggle's flat dogs-vs-cats download (train/cat.0.jpg, train/dog.0.jpg, ...,
 * test1/1.jpg, ...) into train/<class>/, valid/<class>/, test/unknown/ and an
 * optional small sample/. Files are hard-linked (copied when linking is not
 * possible, e.g. across file systems); the source is never modified.
 */

export interface PrepareOptions {
  /** Folder of labelled images named <label>.<anything>.<ext> (Kaggle's train/). */
  trainDir: string;
  /** Folder of unlabelled test images (Kaggle's test1/). Optional. */
  testDir?: string;
  outDir: string;
  /** Fraction of each class moved to valid/ (default 0.2). */
  validFraction?: number;
  seed?: number;
  /** Images per class in sample/train/ (sample/valid/ gets the same validFraction). 0 = no sample. */
  sampleSize?: number;
  /** "link" (default: hard link, falling back to copy) or "copy". */
  mode?: "link" | "copy";
}

export interface PrepareSummary {
  outDir: string;
  classes: string[];
  counts: Record<string, { train: number; valid: number; sampleTrain: number; sampleValid: number }>;
  test: number;
  linked: number;
  copied: number;
}

const NAME = /^([A-Za-z][A-Za-z0-9_-]*)\.[^/]+$/;

export function classNameFor(label: string): string {
  const l = label.toLowerCase();
  return l.endsWith("s") ? l : `${l}s`;
}

export async function prepareKaggle(opts: PrepareOptions): Promise<PrepareSummary> {
  const validFraction = opts.validFraction ?? 0.2;
  if (!(validFraction > 0 && validFraction < 1)) throw new Error(`validFraction must be between 0 and 1 (exclusive), got ${validFraction}`);
  const sampleSize = opts.sampleSize ?? 0;
  if (!Number.isInteger(sampleSize) || sampleSize < 0) throw new Error(`sampleSize must be a whole number >= 0, got ${sampleSize}`);
  const random = rng(opts.seed ?? 42);
  const outDir = path.resolve(opts.outDir);
  const trainDir = path.resolve(opts.trainDir);
  if (outDir === trainDir || outDir.startsWith(trainDir + path.sep)) throw new Error(`output ${outDir} must not be inside the source ${trainDir}`);

  const names = (await fs.readdir(trainDir).catch(() => {
    throw new Error(`${trainDir}: cannot read the folder of labelled images`);
  })).filter((n) => !n.startsWith("."));
  const byClass = new Map<string, string[]>();
  const unrecognised: string[] = [];
  for (const n of names.sort(naturalCompare)) {
    const m = NAME.exec(n);
    if (!m || !IMAGE_EXTENSIONS.includes(path.extname(n).toLowerCase()) || n.split(".").length < 3) {
      unrecognised.push(n);
      continue;
    }
    const c = classNameFor(m[1]!);
    byClass.set(c, [...(byClass.get(c) ?? []), n]);
  }
  if (unrecognised.length > 0) {
    throw new Error(
      `${trainDir}: ${unrecognised.length} file(s) not named <label>.<number>.<ext> like Kaggle's cat.0.jpg: ${unrecognised.slice(0, 5).join(", ")}`,
    );
  }
  if (byClass.size < 2) throw new Error(`${trainDir}: found ${byClass.size} label(s) (${[...byClass.keys()].join(", ")}); need at least 2`);
  const existing = await fs.readdir(outDir).catch(() => [] as string[]);
  if (existing.length > 0) throw new Error(`${outDir} already exists and is not empty; choose a new folder`);

  let linked = 0;
  let copied = 0;
  const place = async (src: string, dst: string) => {
    await fs.mkdir(path.dirname(dst), { recursive: true });
    if (opts.mode !== "copy") {
      try {
        await fs.link(src, dst);
        linked++;
        return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EXDEV" && (e as NodeJS.ErrnoException).code !== "EPERM") throw e;
      }
    }
    await fs.copyFile(src, dst);
    copied++;
  };

  const classes = [...byClass.keys()].sort(naturalCompare);
  const counts: PrepareSummary["counts"] = {};
  for (const c of classes) {
    const files = shuffleInPlace([...byClass.get(c)!], random);
    const nValid = Math.max(1, Math.round(files.length * validFraction));
    if (files.length - nValid < 1) throw new Error(`class ${c} has only ${files.length} image(s); need at least 2`);
    const valid = files.slice(0, nValid);
    const train = files.slice(nValid);
    const sampleTrain = train.slice(0, sampleSize);
    const sampleValid = sampleSize > 0 ? valid.slice(0, Math.max(1, Math.round((sampleSize * validFraction) / (1 - validFraction)))) : [];
    for (const f of train) await place(path.join(trainDir, f), path.join(outDir, "train", c, f));
    for (const f of valid) await place(path.join(trainDir, f), path.join(outDir, "valid", c, f));
    for (const f of sampleTrain) await place(path.join(trainDir, f), path.join(outDir, "sample", "train", c, f));
    for (const f of sampleValid) await place(path.join(trainDir, f), path.join(outDir, "sample", "valid", c, f));
    counts[c] = { train: train.length, valid: valid.length, sampleTrain: sampleTrain.length, sampleValid: sampleValid.length };
  }
  let test = 0;
  if (opts.testDir) {
    const testDir = path.resolve(opts.testDir);
    const testNames = (await fs.readdir(testDir).catch(() => {
      throw new Error(`${testDir}: cannot read the folder of test images`);
    })).filter((n) => !n.startsWith(".") && IMAGE_EXTENSIONS.includes(path.extname(n).toLowerCase()));
    for (const f of testNames.sort(naturalCompare)) await place(path.join(testDir, f), path.join(outDir, "test", "unknown", f));
    test = testNames.length;
  }
  return { outDir, classes, counts, test, linked, copied };
}
