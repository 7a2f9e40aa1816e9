// The dev-only helper that locates ../shared/assets and ../shared/seeds for every workspace's tests (it lives in
// tooling/, outside the workspaces; these tests run here because this package's suite is the quickest).
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { ASSETS, courseAssetsDir, courseSeedsDir, findCourseAssets, isCI, MissingSharedFilesError, repoRoot } from "../../../tooling/course-assets";
import { removeTempDirs, tempDir } from "./helpers";

afterAll(removeTempDirs);
afterEach(() => vi.restoreAllMocks());

describe("findCourseAssets", () => {
  it("fails in CI when the assets are missing, naming COURSE_ASSETS_DIR and what is missing", async () => {
    const dir = path.join(await tempDir(), "nowhere");
    const env = { CI: "true", COURSE_ASSETS_DIR: dir };
    expect(() => findCourseAssets("the template test", [ASSETS.mobilenet, ASSETS.kaggleSample], env)).toThrow(MissingSharedFilesError);
    expect(() => findCourseAssets("the template test", [ASSETS.mobilenet, ASSETS.kaggleSample], env)).toThrow(
      `the template test needs models/mobilenet_v1_0.75_224/model.json, datasets/dogscats-kaggle-sample/train in ${dir}, which are missing; ` +
        "set COURSE_ASSETS_DIR to the folder that holds them (CI is set, so missing files fail the tests instead of skipping them)",
    );
  });

  it("names only what is missing when part of the assets is there", async () => {
    const dir = await tempDir();
    await mkdir(path.join(dir, ASSETS.kaggleSample), { recursive: true });
    expect(() => findCourseAssets("x", [ASSETS.mobilenet, ASSETS.kaggleSample], { CI: "1", COURSE_ASSETS_DIR: dir })).toThrow(
      `x needs models/mobilenet_v1_0.75_224/model.json in ${dir}, which is missing; set COURSE_ASSETS_DIR`,
    );
  });

  it("skips with the same message outside CI", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const dir = path.join(await tempDir(), "nowhere");
    for (const CI of [undefined, "", "false", "0"]) {
      expect(findCourseAssets("the template test", [ASSETS.mobilenet], { CI, COURSE_ASSETS_DIR: dir })).toBeUndefined();
    }
    expect(warn).toHaveBeenCalledTimes(4);
    expect(warn).toHaveBeenCalledWith(
      `skipping the template test: it needs models/mobilenet_v1_0.75_224/model.json in ${dir}, which is missing; set COURSE_ASSETS_DIR to the folder that holds it`,
    );
  });

  it("returns the folder when everything required is there, in CI or not", async () => {
    const dir = await tempDir();
    await mkdir(path.join(dir, "models/mobilenet_v1_0.75_224"), { recursive: true });
    await writeFile(path.join(dir, ASSETS.mobilenet), "{}");
    await mkdir(path.join(dir, ASSETS.kaggleSample), { recursive: true });
    expect(findCourseAssets("x", [ASSETS.mobilenet, ASSETS.kaggleSample], { CI: "true", COURSE_ASSETS_DIR: dir })).toBe(dir);
    expect(findCourseAssets("x", [ASSETS.mobilenet], { COURSE_ASSETS_DIR: dir })).toBe(dir);
  });

  it("defaults to ../shared/assets and ../shared/seeds beside the repository", () => {
    expect(courseAssetsDir({})).toBe(path.resolve(repoRoot, "../shared/assets"));
    expect(courseSeedsDir({})).toBe(path.resolve(repoRoot, "../shared/seeds"));
    expect(courseAssetsDir({ COURSE_ASSETS_DIR: "/srv/assets/" })).toBe("/srv/assets");
    expect(repoRoot).toBe(path.resolve(import.meta.dirname, "../../.."));
    expect(isCI({ CI: "true" })).toBe(true);
    expect(isCI({ CI: "false" })).toBe(false);
  });
});

describe("product code", () => {
  // Source files of every workspace that ships (tests, e2e, scripts and bins aside).
  async function sourceFiles(dir: string): Promise<string[]> {
    const entries = await readdir(dir, { withFileTypes: true, recursive: true });
    return entries.filter((e) => e.isFile() && /\.(?:ts|tsx|mts|js|mjs)$/.test(e.name)).map((e) => path.join(e.parentPath, e.name));
  }

  it("never reads ../shared nor imports the test-assets helper (the training benchmarks aside)", async () => {
    const roots = ["apps/web/src", "apps/runner/src", "packages/content/src", "packages/db/src", "packages/notebook/src", "packages/training/src"];
    const offenders: string[] = [];
    for (const root of roots) {
      for (const file of await sourceFiles(path.join(repoRoot, root))) {
        const relative = path.relative(repoRoot, file);
        if (relative === "packages/training/src/bench.ts" || relative === "packages/training/src/benchAccuracy.ts") continue;
        const text = await readFile(file, "utf8");
        if (/shared\/(?:assets|seeds)|tooling\/course-assets|COURSE_ASSETS_DIR|COURSE_SEEDS_DIR/.test(text)) offenders.push(relative);
      }
    }
    expect(offenders).toEqual([]);
  });
});
