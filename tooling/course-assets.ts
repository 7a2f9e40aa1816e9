/**
 * Where tests (and benchmarks) find the files that live beside the repository and never in it: the course assets
 * (pretrained models, the dogs-vs-cats photos) in `../shared/assets`, overridable with COURSE_ASSETS_DIR, and the
 * seed documents in `../shared/seeds` (COURSE_SEEDS_DIR). It also decides what a test does when they are missing:
 * on a developer's machine it is skipped with a message naming the variable and the missing files; in CI (`CI` set,
 * as `.ci/run` does) a skip would hide that the tests never ran, so it fails with the same message.
 *
 * Why a file under tooling/ imported by relative path, and not a workspace package: tests of packages/ and apps/
 * both need it, a package must not import an app, and a test-only workspace would have to be installed into every
 * workspace's dependencies for a few lines. This file belongs to no workspace and imports only Node built-ins, so
 * importing it adds no edge to the package graph. It is dev-only: product code (`src/` of any workspace) never imports
 * it nor reads `../shared` (packages/content/test/course-assets.test.ts checks that), the training benchmark aside.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

type Env = Readonly<Record<string, string | undefined>>;

/** Assets that tests ask for, relative to the assets folder. */
export const ASSETS = {
  mobilenet: "models/mobilenet_v1_0.75_224/model.json",
  mobilenetV2: "models/mobilenet_v2_1.0_features/manifest.json",
  kaggleSample: "datasets/dogscats-kaggle-sample/train",
} as const;

/** `CI=true` (or any value but "", "0" and "false"), as CI services and `.ci/run` set it. */
export function isCI(env: Env = process.env): boolean {
  const value = env.CI?.trim().toLowerCase();
  return value !== undefined && value !== "" && value !== "0" && value !== "false";
}

/** The course assets folder: $COURSE_ASSETS_DIR, else `<repo>/../shared/assets`. */
export function courseAssetsDir(env: Env = process.env): string {
  return path.resolve(env.COURSE_ASSETS_DIR || path.resolve(repoRoot, "../shared/assets"));
}

/** The seed documents folder: $COURSE_SEEDS_DIR, else `<repo>/../shared/seeds`. */
export function courseSeedsDir(env: Env = process.env): string {
  return path.resolve(env.COURSE_SEEDS_DIR || path.resolve(repoRoot, "../shared/seeds"));
}

/** Thrown in CI when a test's shared files are missing. */
export class MissingSharedFilesError extends Error {
  override name = "MissingSharedFilesError";
}

export interface SharedFilesNeed {
  /** Who needs them, for the message: "the homework template test". */
  what: string;
  /** The folder (from {@link courseAssetsDir} or {@link courseSeedsDir}). */
  dir: string;
  /** The variable that moves the folder, named in the message. */
  envVar: string;
  /** Paths relative to `dir` that must exist. */
  required: readonly string[];
}

/**
 * `dir` when every required path exists. Otherwise, outside CI: prints why and returns undefined (the caller skips);
 * in CI: throws a {@link MissingSharedFilesError} with that message, so the test file fails instead of passing empty.
 */
export function findSharedFiles(need: SharedFilesNeed, env: Env = process.env): string | undefined {
  const missing = need.required.filter((file) => !existsSync(path.join(need.dir, file)));
  if (missing.length === 0) return need.dir;
  const detail =
    `needs ${missing.join(", ")} in ${need.dir}, which ${missing.length === 1 ? "is" : "are"} missing; ` +
    `set ${need.envVar} to the folder that holds ${missing.length === 1 ? "it" : "them"}`;
  if (isCI(env)) throw new MissingSharedFilesError(`${need.what} ${detail} (CI is set, so missing files fail the tests instead of skipping them)`);
  console.warn(`skipping ${need.what}: it ${detail}`);
  return undefined;
}

/** {@link findSharedFiles} for the course assets: the assets folder, or undefined to skip (outside CI). */
export function findCourseAssets(what: string, required: readonly string[], env: Env = process.env): string | undefined {
  return findSharedFiles({ what, dir: courseAssetsDir(env), envVar: "COURSE_ASSETS_DIR", required }, env);
}
