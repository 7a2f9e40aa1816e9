import { mkdir, readdir, symlink } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ASSETS, findCourseAssets } from "../../../tooling/course-assets";

export const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const repoRoot = path.resolve(packageDir, "../..");

/**
 * The shared dogs-vs-cats sample (never copied into the repo); null when absent: the caller skips, except in CI,
 * where this throws (see tooling/course-assets.ts).
 */
export function kaggleSampleDir(what = "this runner test file"): string | null {
  const assets = findCourseAssets(what, [ASSETS.kaggleSample]);
  return assets === undefined ? null : path.join(assets, ASSETS.kaggleSample);
}

/** The shared pretrained models folder (holding mobilenet_v1_0.75_224/); null when absent, as {@link kaggleSampleDir}. */
export function sharedModelsDir(what = "this runner test file"): string | null {
  const assets = findCourseAssets(what, [ASSETS.mobilenet]);
  return assets === undefined ? null : path.join(assets, "models");
}

/** A small Kaggle-style folder of symlinks to the first n cats and n dogs of the shared sample. */
export async function kaggleSubset(sourceDir: string, dest: string, n: number): Promise<string> {
  await mkdir(dest, { recursive: true });
  const files = (await readdir(sourceDir)).filter((f) => /^(cat|dog)\.\d+\.jpg$/.test(f));
  for (const label of ["cat", "dog"]) {
    for (let i = 0; i < n; i++) {
      const name = `${label}.${i}.jpg`;
      if (!files.includes(name)) throw new Error(`${sourceDir}: missing ${name}`);
      await symlink(path.join(sourceDir, name), path.join(dest, name));
    }
  }
  return dest;
}
