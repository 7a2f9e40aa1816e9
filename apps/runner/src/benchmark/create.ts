import { chmod, copyFile, link, mkdir, readdir, readFile, realpath, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import {
  BENCHMARK_LAYOUT,
  BenchmarkError,
  CLASS_DIRS,
  sha256Hex,
  type BenchmarkManifest,
} from "./manifest";

export interface CreateBenchmarkOptions {
  /** Kaggle-style flat folder: `cat.N.jpg`, `dog.N.jpg`. Never modified. */
  fromKaggle: string;
  /** Output folder; must not exist or be empty. */
  out: string;
  seed?: number;
  validFraction?: number;
  testFraction?: number;
  /** Defaults to the output folder's name. */
  name?: string;
  /** Hard-link train/valid files instead of copying when on the same filesystem (test files are always copied). */
  link?: boolean;
  onProgress?: (event: { phase: "scan" | "copy" | "hash" | "done"; done: number; total: number }) => void;
  /** For tests: fixed creation time. */
  now?: Date;
}

export interface CreatedBenchmark {
  dir: string;
  manifest: BenchmarkManifest;
}

const KAGGLE_NAME = /^(cat|dog)\.(\d+)\.(jpe?g|png)$/i;

interface SourceImage {
  file: string;
  label: "cat" | "dog";
}

/** Deterministic order key: sha256(seed:purpose:name). */
function orderKey(seed: number, purpose: string, name: string): string {
  return sha256Hex(`${seed}:${purpose}:${name}`);
}

function byKey(seed: number, purpose: string) {
  return (a: SourceImage, b: SourceImage) => {
    const ka = orderKey(seed, purpose, a.file);
    const kb = orderKey(seed, purpose, b.file);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  };
}

async function scanKaggleFolder(dir: string): Promise<SourceImage[]> {
  const s = await stat(dir).catch(() => null);
  if (!s) throw new BenchmarkError(`${dir}: no such folder`);
  if (!s.isDirectory()) throw new BenchmarkError(`${dir}: not a folder`);
  const entries = await readdir(dir, { withFileTypes: true });
  const images: SourceImage[] = [];
  const unexpected: string[] = [];
  const subdirs: string[] = [];
  for (const e of entries) {
    if (e.name.startsWith(".")) continue;
    if (e.isDirectory()) {
      subdirs.push(e.name);
      continue;
    }
    const m = KAGGLE_NAME.exec(e.name);
    if (!m || !(e.isFile() || e.isSymbolicLink())) {
      unexpected.push(e.name);
      continue;
    }
    images.push({ file: e.name, label: m[1]?.toLowerCase() === "dog" ? "dog" : "cat" });
  }
  const expected = "expected a flat Kaggle 'Dogs vs. Cats' folder of files named cat.<N>.jpg and dog.<N>.jpg";
  if (unexpected.length > 0) {
    throw new BenchmarkError(
      `${dir}: ${unexpected.length} file(s) not named like cat.<N>.jpg / dog.<N>.jpg (first: ${unexpected
        .slice(0, 5)
        .map((n) => JSON.stringify(n))
        .join(", ")}); ${expected}`,
    );
  }
  if (images.length === 0) {
    const hint = subdirs.includes("train")
      ? ` (found a 'train' subfolder: did you mean ${path.join(dir, "train")}?)`
      : subdirs.length > 0
        ? ` (found only subfolders: ${subdirs.slice(0, 5).join(", ")})`
        : "";
    throw new BenchmarkError(`${dir}: no images found; ${expected}${hint}`);
  }
  const cats = images.filter((i) => i.label === "cat").length;
  if (cats === 0 || cats === images.length) {
    throw new BenchmarkError(`${dir}: found only ${cats === 0 ? "dogs" : "cats"}; a benchmark needs both classes`);
  }
  return images;
}

async function placeFile(src: string, dest: string, useLink: boolean): Promise<void> {
  if (useLink) {
    try {
      // link(2) does not follow symlinks: link the real file, never a symlink to a host path.
      await link(await realpath(src), dest);
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EXDEV") throw e;
    }
  }
  await copyFile(src, dest);
  await chmod(dest, 0o644);
}

async function listFilesRecursive(root: string, rel = ""): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(path.join(root, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listFilesRecursive(root, r)));
    else out.push(r);
  }
  return out;
}

function checkFraction(name: string, f: number): void {
  if (!Number.isFinite(f) || f < 0 || f >= 1) throw new BenchmarkError(`${name}: expected a number in [0, 1), got ${f}`);
}

/**
 * Turns a Kaggle flat folder into a benchmark: `train/{cats,dogs}`, `valid/{cats,dogs}`, unlabelled `test/<id>.jpg`
 * (ids 1..N in a seeded random order), `hidden/labels.csv` (`id,label`, 1 = dog) and `benchmark.json`.
 * Same input + seed -> byte-identical files (benchmark.json differs only in `created`).
 */
export async function createBenchmark(opts: CreateBenchmarkOptions): Promise<CreatedBenchmark> {
  const seed = opts.seed ?? 42;
  const validFraction = opts.validFraction ?? 0.2;
  const testFraction = opts.testFraction ?? 0.2;
  if (!Number.isSafeInteger(seed)) throw new BenchmarkError(`seed: expected an integer, got ${seed}`);
  checkFraction("valid fraction", validFraction);
  checkFraction("test fraction", testFraction);
  if (validFraction + testFraction >= 1) {
    throw new BenchmarkError(`valid fraction + test fraction must be < 1 (got ${validFraction + testFraction})`);
  }
  const src = path.resolve(opts.fromKaggle);
  const out = path.resolve(opts.out);
  if (out === src || out.startsWith(src + path.sep)) {
    throw new BenchmarkError(`${out}: output must not be inside the source folder ${src}`);
  }
  const outStat = await stat(out).catch(() => null);
  if (outStat) {
    if (!outStat.isDirectory()) throw new BenchmarkError(`${out}: exists and is not a folder`);
    if ((await readdir(out)).length > 0) throw new BenchmarkError(`${out}: exists and is not empty; choose a new folder`);
  }

  const images = await scanKaggleFolder(src);
  opts.onProgress?.({ phase: "scan", done: images.length, total: images.length });

  const split = { train: [] as SourceImage[], valid: [] as SourceImage[], test: [] as SourceImage[] };
  for (const label of ["cat", "dog"] as const) {
    const cls = images.filter((i) => i.label === label).sort(byKey(seed, "split"));
    const nTest = Math.round(cls.length * testFraction);
    const nValid = Math.round(cls.length * validFraction);
    split.test.push(...cls.slice(0, nTest));
    split.valid.push(...cls.slice(nTest, nTest + nValid));
    split.train.push(...cls.slice(nTest + nValid));
  }
  split.train.sort((a, b) => a.file.localeCompare(b.file));
  split.valid.sort((a, b) => a.file.localeCompare(b.file));
  // Test ids follow a seeded shuffle, so neither the id nor the copy order reveals the label.
  split.test.sort(byKey(seed, "test-id"));

  await mkdir(out, { recursive: true });
  try {
    for (const part of ["train", "valid"] as const) {
      for (const cls of Object.values(CLASS_DIRS)) await mkdir(path.join(out, part, cls), { recursive: true });
    }
    await mkdir(path.join(out, BENCHMARK_LAYOUT.test), { recursive: true });
    await mkdir(path.join(out, BENCHMARK_LAYOUT.hidden), { recursive: true, mode: 0o700 });
    await chmod(path.join(out, BENCHMARK_LAYOUT.hidden), 0o700);

    const total = images.length;
    let done = 0;
    const tick = () => {
      done++;
      if (done % 50 === 0 || done === total) opts.onProgress?.({ phase: "copy", done, total });
    };
    const useLink = opts.link ?? false;
    for (const part of ["train", "valid"] as const) {
      for (const img of split[part]) {
        await placeFile(path.join(src, img.file), path.join(out, part, CLASS_DIRS[img.label], img.file), useLink);
        tick();
      }
    }
    const labelLines = ["id,label"];
    for (const [i, img] of split.test.entries()) {
      const id = i + 1;
      const ext = path.extname(img.file).toLowerCase() === ".png" ? ".png" : ".jpg";
      // Always copied, in id order: a hard link would keep the source's mtime and inode, which follow
      // the source's name order (cats then dogs) and would leak the label.
      await placeFile(path.join(src, img.file), path.join(out, BENCHMARK_LAYOUT.test, `${id}${ext}`), false);
      labelLines.push(`${id},${img.label === "dog" ? 1 : 0}`);
      tick();
    }
    const labelsText = labelLines.join("\n") + "\n";
    await writeFile(path.join(out, BENCHMARK_LAYOUT.labels), labelsText, { mode: 0o600 });

    const files = (await listFilesRecursive(out)).sort();
    const hashLines: string[] = [];
    for (const [i, rel] of files.entries()) {
      hashLines.push(`${rel}\t${sha256Hex(await readFile(path.join(out, rel)))}\n`);
      if ((i + 1) % 100 === 0 || i + 1 === files.length) opts.onProgress?.({ phase: "hash", done: i + 1, total: files.length });
    }
    const count = (imgs: SourceImage[]) => ({
      cats: imgs.filter((i) => i.label === "cat").length,
      dogs: imgs.filter((i) => i.label === "dog").length,
    });
    const manifest: BenchmarkManifest = {
      format: 1,
      name: opts.name ?? path.basename(out),
      seed,
      created: (opts.now ?? new Date()).toISOString(),
      fractions: { valid: validFraction, test: testFraction },
      counts: { train: count(split.train), valid: count(split.valid), test: split.test.length, total: images.length },
      splitSalt: sha256Hex(`course-benchmark-split:${seed}`).slice(0, 32),
      hashes: { content: sha256Hex(hashLines.join("")), labels: sha256Hex(labelsText) },
    };
    await writeFile(path.join(out, BENCHMARK_LAYOUT.manifest), JSON.stringify(manifest, null, 2) + "\n");
    opts.onProgress?.({ phase: "done", done: total, total });
    return { dir: out, manifest };
  } catch (e) {
    // Leave no half-made benchmark behind.
    await rm(out, { recursive: true, force: true });
    throw e;
  }
}
