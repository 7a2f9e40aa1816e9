import fs from "node:fs/promises";
import path from "node:path";
import { IMAGE_EXTENSIONS, looksLikeImage } from "./images";

/** Image datasets laid out as train/<class>/, valid/<class>/ and test/. */

export interface LabeledImages {
  files: string[];
  /** Index into `classes` for each file. */
  labels: number[];
  classes: string[];
}

export interface UnlabeledImages {
  files: string[];
  /** File name without extension, e.g. "1" for test/1.jpg (Kaggle's id). */
  ids: string[];
}

export const EXPECTED_LAYOUT = `Expected layout:
  <data>/
    train/<class>/<image>   one folder per class (at least 2), images directly inside
    valid/<class>/<image>   the same class folders as train/
    test/<image>            optional, unlabelled; test/<any folder>/<image> also works
  Images: ${IMAGE_EXTENSIONS.join(" ")}. Hidden files (.*) are ignored.
  For Kaggle's flat dogs-vs-cats download (cat.0.jpg, dog.0.jpg, ...), run:
    course-train prepare <download>/train <data> --test <download>/test1`;

export class DatasetLayoutError extends Error {
  override name = "DatasetLayoutError";
  constructor(
    readonly root: string,
    readonly problems: string[],
    readonly found: string,
  ) {
    super(`Dataset layout problem in ${root}:\n${problems.map((p) => `  - ${p}`).join("\n")}\n${EXPECTED_LAYOUT}\nFound:\n${found}`);
  }
}

interface Entry {
  name: string;
  isDir: boolean;
}

async function list(dir: string): Promise<Entry[] | undefined> {
  try {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    return entries
      .filter((e) => !e.name.startsWith("."))
      .map((e) => ({ name: e.name, isDir: e.isDirectory() }))
      .sort((a, b) => naturalCompare(a.name, b.name));
  } catch {
    return undefined;
  }
}

export function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, "en", { numeric: true });
}

function sample(names: string[], n = 3): string {
  return names.slice(0, n).join(", ") + (names.length > n ? `, ... (${names.length} in all)` : "");
}

async function sniff(file: string): Promise<boolean> {
  const fh = await fs.open(file, "r").catch(() => undefined);
  if (!fh) return false;
  try {
    const head = new Uint8Array(16);
    const { bytesRead } = await fh.read(head, 0, 16, 0);
    return looksLikeImage(head.subarray(0, bytesRead));
  } finally {
    await fh.close();
  }
}

/** Image files directly inside `dir`; problems for sub-folders and non-images. */
async function imagesIn(dir: string, rel: string, problems: string[], allowSubfolders = false): Promise<string[]> {
  const entries = (await list(dir)) ?? [];
  const dirs = entries.filter((e) => e.isDir).map((e) => e.name);
  if (dirs.length > 0 && !allowSubfolders) problems.push(`${rel}: has sub-folders (${sample(dirs)}); images must be directly inside the class folder`);
  const files = entries.filter((e) => !e.isDir).map((e) => e.name);
  const bad: string[] = [];
  const good: string[] = [];
  await Promise.all(
    files.map(async (f) => {
      const ok = IMAGE_EXTENSIONS.includes(path.extname(f).toLowerCase()) && (await sniff(path.join(dir, f)));
      (ok ? good : bad).push(f);
    }),
  );
  if (bad.length > 0) problems.push(`${rel}: ${bad.length} file(s) are not readable images: ${sample(bad.sort(naturalCompare), 5)}`);
  return good.sort(naturalCompare).map((f) => path.join(dir, f));
}

async function describe(root: string): Promise<string> {
  const lines: string[] = [];
  const walk = async (dir: string, rel: string, depth: number) => {
    const entries = await list(dir);
    if (!entries) return;
    const files = entries.filter((e) => !e.isDir).map((e) => e.name);
    const dirs = entries.filter((e) => e.isDir);
    lines.push(`  ${"  ".repeat(depth)}${rel}/  ${files.length} file(s)${files.length ? ` (${sample(files)})` : ""}${dirs.length ? `, ${dirs.length} folder(s)` : ""}`);
    if (depth < 2) for (const d of dirs.slice(0, 12)) await walk(path.join(dir, d.name), d.name, depth + 1);
    if (dirs.length > 12) lines.push(`  ${"  ".repeat(depth + 1)}... ${dirs.length - 12} more folder(s)`);
  };
  await walk(root, path.basename(root) || root, 0);
  return lines.join("\n");
}

async function labeledSplit(root: string, split: string, problems: string[]): Promise<{ classes: string[]; byClass: Map<string, string[]> } | undefined> {
  const dir = path.join(root, split);
  const entries = await list(dir);
  if (!entries) {
    problems.push(`${split}/: missing`);
    return undefined;
  }
  const classes = entries.filter((e) => e.isDir).map((e) => e.name);
  const loose = entries.filter((e) => !e.isDir).map((e) => e.name);
  if (loose.length > 0) {
    problems.push(`${split}/: ${loose.length} file(s) directly in ${split}/ (${sample(loose)}); put each image in ${split}/<class>/`);
  }
  if (classes.length === 0) {
    problems.push(`${split}/: no class folders`);
    return undefined;
  }
  const byClass = new Map<string, string[]>();
  for (const c of classes) {
    const files = await imagesIn(path.join(dir, c), `${split}/${c}/`, problems);
    if (files.length === 0) problems.push(`${split}/${c}/: no images (empty class)`);
    byClass.set(c, files);
  }
  return { classes, byClass };
}

export interface ImageFolderOptions {
  /** Require test/ (default false: test is optional). */
  requireTest?: boolean;
}

export class ImageFolder {
  private constructor(
    readonly root: string,
    readonly classes: string[],
    readonly train: LabeledImages,
    readonly valid: LabeledImages,
    readonly test: UnlabeledImages | undefined,
  ) {}

  /** Read and check the layout; throws DatasetLayoutError listing every problem found. */
  static async load(root: string, opts: ImageFolderOptions = {}): Promise<ImageFolder> {
    const abs = path.resolve(root);
    const st = await fs.stat(abs).catch(() => undefined);
    if (!st?.isDirectory()) throw new DatasetLayoutError(abs, [`${abs} is not a folder`], "  (nothing)");
    const problems: string[] = [];
    const train = await labeledSplit(abs, "train", problems);
    const valid = await labeledSplit(abs, "valid", problems);
    if (train && train.classes.length === 1) problems.push(`train/: only one class (${train.classes[0]}); a classifier needs at least 2`);
    if (train && valid) {
      const missing = train.classes.filter((c) => !valid.byClass.has(c));
      const extra = valid.classes.filter((c) => !train.byClass.has(c));
      if (missing.length) problems.push(`valid/: class folder(s) missing: ${missing.join(", ")} (present in train/)`);
      if (extra.length) problems.push(`valid/: class folder(s) not in train/: ${extra.join(", ")}`);
    }
    let test: UnlabeledImages | undefined;
    const testEntries = await list(path.join(abs, "test"));
    if (testEntries) {
      const files: string[] = [];
      files.push(...(await imagesIn(path.join(abs, "test"), "test/", problems, true)));
      const dirs = testEntries.filter((e) => e.isDir);
      for (const d of dirs) files.push(...(await imagesIn(path.join(abs, "test", d.name), `test/${d.name}/`, problems)));
      if (files.length === 0) problems.push("test/: no images");
      test = { files, ids: files.map((f) => path.basename(f, path.extname(f))) };
    } else if (opts.requireTest) {
      problems.push("test/: missing");
    }
    if (problems.length > 0 || !train || !valid) throw new DatasetLayoutError(abs, problems, await describe(abs));
    const classes = [...train.classes];
    const toSet = (s: { byClass: Map<string, string[]> }): LabeledImages => {
      const files: string[] = [];
      const labels: number[] = [];
      classes.forEach((c, k) => {
        for (const f of s.byClass.get(c) ?? []) {
          files.push(f);
          labels.push(k);
        }
      });
      return { files, labels, classes };
    };
    return new ImageFolder(abs, classes, toSet(train), toSet(valid), test);
  }
}
