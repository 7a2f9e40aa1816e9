import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Page } from "@playwright/test";

/** The monorepo root (apps/web/e2e/support -> ../../../..). */
export const repoRoot = path.resolve(import.meta.dirname, "../../../..");
export const youtubeStubFile = path.join(import.meta.dirname, "youtube-stub.js");
export const DEFAULT_YOUTUBE_API_URL = "https://www.youtube.com/iframe_api";

/** Whether a request stays on the machine (the test sites listen on 127.0.0.1). */
export const isLocal = (url: URL) => url.hostname === "127.0.0.1" || url.hostname === "localhost";

/**
 * Answers every request for the YouTube API script (the configured YOUTUBE_IFRAME_API_URL or the real one, and any
 * other off-site script: the pages load no other) with the stand-in, and aborts anything else that would leave the
 * machine (the stand-in creates no iframe, so nothing should try). Routes added later win over this one.
 */
export async function stubYouTube(page: Page): Promise<void> {
  const apiUrls = new Set([DEFAULT_YOUTUBE_API_URL, process.env.YOUTUBE_IFRAME_API_URL].filter((u): u is string => Boolean(u)));
  await page.route(
    (url) => apiUrls.has(url.href) || apiUrls.has(url.pathname) || !isLocal(url),
    (route) =>
      apiUrls.has(route.request().url()) || route.request().resourceType() === "script"
        ? route.fulfill({ path: youtubeStubFile, contentType: "text/javascript; charset=utf-8" })
        : route.abort(),
  );
}

/**
 * A short synthetic transcript for lesson-1 in our own words (the seed transcript is never committed), timed to
 * the lesson's chapters (1:23 Teaching, 2:17 Paul Lockhart, 4:40 The New Electricity, 9:00 Intuition, 22:58
 * Suggestions). The tests below rely on these times and words.
 */
export const SYNTHETIC_CUES: readonly { start: number; end: number; text: string }[] = [
  { start: 0, end: 8, text: "Welcome to the first lesson, where we train an image classifier together." },
  { start: 8, end: 20, text: "Before any theory, we will get a model working from end to end." },
  { start: 20, end: 83, text: "The plan for today is short: data, a pretrained network, and a few lines of code." },
  { start: 83, end: 100, text: "How this course is taught: top down, starting from the whole game." },
  { start: 100, end: 137, text: "You learn to play before you learn every rule." },
  { start: 137, end: 280, text: "A mathematician once compared school maths to learning music from sheets without ever playing." },
  { start: 280, end: 540, text: "Deep learning is changing many industries, much as electricity once did." },
  { start: 540, end: 900, text: "An intuition for gradient descent: small steps downhill on the loss surface." },
  { start: 900, end: 1378, text: "Each gradient step nudges the weights so the predictions improve a little." },
  { start: 1378, end: 1870, text: "Some suggestions: run the notebook, change one thing, and share what you find on the forum." },
];

function vttTime(seconds: number): string {
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${p(Math.floor(seconds / 3600))}:${p(Math.floor((seconds % 3600) / 60))}:${p(Math.floor(seconds % 60))}.000`;
}

function hasSyntheticTranscript(file: string): boolean {
  try {
    const cues = (JSON.parse(fs.readFileSync(file, "utf8")) as { cues?: unknown }).cues;
    return JSON.stringify(cues) === JSON.stringify(SYNTHETIC_CUES);
  } catch {
    return false;
  }
}

/**
 * Makes sure the site's content folder (COURSE_CONTENT_DIR, a temporary copy of content/) has the synthetic
 * lesson-1 transcript above, importing it with the content CLI when it is absent or different. The site re-reads
 * content when files change, so this also works after the server started. Refuses to write into the repository's
 * content/. Safe to call from several workers at once (one imports, the others wait for it).
 */
export function ensureLesson1Transcript(contentDir = process.env.COURSE_CONTENT_DIR): string {
  if (!contentDir) throw new Error("COURSE_CONTENT_DIR is not set: the e2e setup must start the site on a temporary copy of content/.");
  const dir = fs.realpathSync(contentDir);
  if (dir === fs.realpathSync(path.join(repoRoot, "content"))) {
    throw new Error(`COURSE_CONTENT_DIR is the repository's content/ (${dir}); point it at a temporary copy so tests never write there.`);
  }
  const lessonsDir = fs.existsSync(path.join(dir, "lessons")) ? path.join(dir, "lessons") : dir;
  const transcript = path.join(lessonsDir, "lesson-1.transcript.json");
  if (hasSyntheticTranscript(transcript)) return transcript;
  const lock = path.join(dir, ".lesson-1-transcript.lock");
  let fd: number;
  try {
    fd = fs.openSync(lock, "wx");
  } catch {
    // Another worker is importing it: wait for the result.
    const until = Date.now() + 30_000;
    while (Date.now() < until) {
      if (hasSyntheticTranscript(transcript)) return transcript;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
    throw new Error(`Timed out waiting for another worker to import ${transcript} (remove ${lock} if it is stale).`);
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lessons-e2e-"));
  try {
    const vtt = path.join(tmp, "lesson-1.vtt");
    fs.writeFileSync(vtt, `WEBVTT\n\n${SYNTHETIC_CUES.map((c) => `${vttTime(c.start)} --> ${vttTime(c.end)}\n${c.text}\n`).join("\n")}`);
    execFileSync(process.execPath, [path.join(repoRoot, "packages/content/bin/content-import.js"), "transcript", vtt, "--lesson", "lesson-1", "--content", dir, "--format", "vtt"], {
      cwd: repoRoot,
      stdio: "pipe",
      env: { ...process.env, INIT_CWD: repoRoot },
    });
    if (!hasSyntheticTranscript(transcript)) throw new Error(`The content CLI did not write the expected ${transcript}.`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.closeSync(fd);
    fs.rmSync(lock, { force: true });
  }
  return transcript;
}

/** Makes a temporary copy of the repository's content/ for a test server (used by the local config). */
export function temporaryContentCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "course-content-"));
  fs.cpSync(path.join(repoRoot, "content"), dir, { recursive: true });
  keepDeadlinesAhead(dir);
  return dir;
}

/**
 * The homework specs upload before the deadline; the demo assignment's real deadline will pass one day, so the copy's
 * deadlines are moved a year ahead of today (the passed-deadline cases live in the web integration tests).
 */
function keepDeadlinesAhead(contentDir: string): void {
  const homework = path.join(contentDir, "homework");
  if (!fs.existsSync(homework)) return;
  const ahead = new Date(Date.now() + 365 * 24 * 3600 * 1000).toISOString().replace(/\.\d+Z$/, "Z");
  for (const name of fs.readdirSync(homework).filter((n) => n.endsWith(".yaml"))) {
    const file = path.join(homework, name);
    const text = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, text.replace(/^deadline:.*$/m, `deadline: "${ahead}"`));
  }
}
