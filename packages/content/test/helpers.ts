import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { courseSeedsDir, findSharedFiles } from "../../../tooling/course-assets";

export const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const repoRoot = path.resolve(packageRoot, "../..");
export const realContentDir = path.join(repoRoot, "content");

/** The seed documents live outside the repository (never committed): COURSE_SEEDS_DIR, else ../shared/seeds. */
export const seedsDir = courseSeedsDir();
export const JEKYLL_SEED = path.join(seedsDir, "000_b71bd6da36893997.txt");
export const VIDEO_SEED = path.join(seedsDir, "004_018c45894f7c08ec.txt");

/** Whether the seeds are there; when not, `what` is skipped (with a message), or fails in CI. */
export function haveSeeds(what: string): boolean {
  const required = [path.basename(JEKYLL_SEED), path.basename(VIDEO_SEED)];
  return findSharedFiles({ what, dir: seedsDir, envVar: "COURSE_SEEDS_DIR", required }) !== undefined;
}

export const readSeed = (file: string) => readFile(file, "utf8");

const created: string[] = [];

/** A fresh temporary folder, removed by {@link removeTempDirs}. */
export async function tempDir(prefix = "course-content-"): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  created.push(dir);
  return dir;
}

export async function removeTempDirs(): Promise<void> {
  await Promise.all(created.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** A valid lesson file with overridable front matter lines. */
export function lessonSource(fields: Record<string, string> = {}, body = "Some text.\n"): string {
  const defaults: Record<string, string> = {
    lesson: "1",
    title: "A lesson",
    youtube_id: "Th_ckFbc6bI",
    wiki_file: "Lesson_1",
    notes_file: "Lesson_1_Notes",
    forum_thread: "lesson-1-discussion",
    synopsis: "What this lesson is about.",
  };
  const merged = { ...defaults, ...fields };
  const lines = Object.entries(merged)
    .filter(([, v]) => v !== "<omit>")
    .map(([k, v]) => `${k}: ${v}`);
  return `---\n${lines.join("\n")}\n---\n\n${body}`;
}
