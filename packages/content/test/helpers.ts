import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { courseSeedsDir, findSharedFiles } from "../../../tooling/course-assets";
import { formatTimestamp } from "../src/time";

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

/**
 * Seed 004 as other real Whisper exports come, changed here rather than copied: four empty segments (halfway
 * between cues 10 and 11, 100 and 101, 200 and 201, and 3 s after the last cue), a `|` in a chapter title, and two
 * chapters and two cues past the hour written the way exports write them (`1:0:0`, `1:12:7`). The added words are ours.
 */
export async function seedWithWhisperQuirks(): Promise<{ text: string; emptyAfter: number[]; duration: number }> {
  const lines = (await readSeed(VIDEO_SEED)).split("\n");
  const cueLines = lines.flatMap((line, i) => (/^\d{2}:\d{2}:\d{2}\.\d{3} \| /.test(line) ? [i] : []));
  const startOf = (line: number) => {
    const [h, m, s] = (lines[line] ?? "").slice(0, 12).split(":").map(Number);
    return (h ?? 0) * 3600 + (m ?? 0) * 60 + (s ?? 0);
  };
  const stamp = (seconds: number) => formatTimestamp(seconds);
  const emptyAfter = [9, 99, 199, cueLines.length - 1];
  // From the end, so that earlier line numbers stay right.
  const last = cueLines.at(-1) ?? 0;
  lines.splice(last + 1, 0, `${stamp(startOf(last) + 3)} | `, "01:00:00.000 | Now the questions people asked on the forum.", "01:12:07.000 | That is all for this lesson.");
  for (const cue of emptyAfter.slice(0, -1).reverse()) {
    const at = cueLines[cue] ?? 0;
    lines.splice(at + 1, 0, `${stamp((startOf(at) + startOf(cueLines[cue + 1] ?? 0)) / 2)} |`);
  }
  const chapter = (prefix: string) => lines.findIndex((l) => l.startsWith(prefix));
  lines[chapter("1:23 ")] += " | how this course works";
  lines.splice(chapter("22:58 ") + 1, 0, "1:0:0 Questions from the forum", "1:12:7 Wrap-up | next steps");
  return { text: lines.join("\n"), emptyAfter, duration: 4800 };
}
