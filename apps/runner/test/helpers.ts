import { existsSync } from "node:fs";
import { mkdir, readdir, symlink } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const repoRoot = path.resolve(packageDir, "../..");

/** The shared offline assets (never copied into the repo); null when absent. */
export function kaggleSampleDir(): string | null {
  const assets = process.env.COURSE_ASSETS_DIR ?? path.resolve(repoRoot, "../shared/assets");
  const dir = path.join(assets, "datasets/dogscats-kaggle-sample/train");
  if (!existsSync(dir)) {
    console.log(`skipping: Kaggle sample not found at ${dir} (set COURSE_ASSETS_DIR)`);
    return null;
  }
  return dir;
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
