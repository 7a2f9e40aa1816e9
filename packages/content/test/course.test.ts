import { mkdir, readFile, rm, utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  clearContentCache,
  ContentError,
  formatProblem,
  loadCourse,
  loadLesson,
  loadTranscript,
  parseLessonFrontMatter,
  serializeTranscriptFile,
  splitFrontMatter,
  validateContent,
} from "../src/index";
import { JEKYLL_SEED, lessonSource, readSeed, realContentDir, haveSeeds, tempDir, VIDEO_SEED } from "./helpers";

let root: string;
let lessons: string;

beforeEach(async () => {
  root = await tempDir();
  lessons = path.join(root, "lessons");
  await mkdir(lessons);
  clearContentCache();
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const write = (name: string, text: string) => writeFile(path.join(lessons, name), text, "utf8");

function lesson(n: number, extra: Record<string, string> = {}, body?: string) {
  return lessonSource({ lesson: String(n), title: `Lesson ${n}`, wiki_file: `Lesson_${n}`, notes_file: `Lesson_${n}_Notes`, forum_thread: `lesson-${n}-discussion`, ...extra }, body);
}

async function problemsOf(promise: Promise<unknown>): Promise<string[]> {
  const error = await promise.catch((e: unknown) => e);
  if (!(error instanceof ContentError)) throw new Error(`expected a ContentError, got ${String(error)}`);
  return error.problems.map(formatProblem);
}

describe("loadCourse", () => {
  it("orders lessons by order and derives prev/next", async () => {
    await write("lesson-2.mdx", lesson(2));
    await write("lesson-1.mdx", lesson(1));
    await write("intro.mdx", lesson(0, { order: "0" }));
    await write("lesson-3.mdx", lesson(3, { order: "10" }));
    const course = await loadCourse(root);
    expect(course.lessonsDir).toBe(lessons);
    expect(course.lessons.map((l) => [l.slug, l.order, l.prev, l.next])).toEqual([
      ["intro", 0, null, "lesson-1"],
      ["lesson-1", 1, "intro", "lesson-2"],
      ["lesson-2", 2, "lesson-1", "lesson-3"],
      ["lesson-3", 10, "lesson-2", null],
    ]);
    expect(course.lessons[1]).toMatchObject({ title: "Lesson 1", youtubeId: "Th_ckFbc6bI", wikiFile: "Lesson_1", notesFile: "Lesson_1_Notes", forumThread: "lesson-1-discussion", hasTranscript: false, file: path.join(lessons, "lesson-1.mdx") });
    // The lessons folder itself works as contentDir too.
    expect((await loadCourse(lessons)).lessons).toHaveLength(4);
  });

  it("reports duplicate lesson numbers, orders and forum threads, and every front matter problem", async () => {
    await write("a.mdx", lesson(1));
    await write("b.mdx", lesson(1, { order: "2", forum_thread: "lesson-1-discussion" }));
    await write("c.mdx", lesson(3, { order: "2" }));
    await write("d.mdx", lesson(4, { youtube_id: "abc" }));
    const problems = await problemsOf(loadCourse(root));
    expect(problems).toHaveLength(4);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/d\.mdx: front matter field "youtube_id": expected an 11-character YouTube id, got "abc" \(line 4\)$/),
        expect.stringMatching(/b\.mdx: front matter field "lesson": duplicate lesson number 1: .*a\.mdx uses it too$/),
        expect.stringMatching(/c\.mdx: front matter field "order": duplicate order 2: .*b\.mdx uses it too$/),
        expect.stringMatching(/b\.mdx: front matter field "forum_thread": duplicate forum_thread "lesson-1-discussion": .*a\.mdx uses it too$/),
      ]),
    );
  });

  it("rejects file names that are not slugs and transcripts without a lesson", async () => {
    await write("Lesson 1.mdx", lesson(1));
    await write("ghost.transcript.json", serializeTranscriptFile({ version: 1, language: "en", cues: [{ start: 0, end: 1, text: "a" }] }));
    const problems = await problemsOf(loadCourse(root));
    expect(problems).toEqual([
      expect.stringMatching(/Lesson 1\.mdx: the file name must be a lowercase slug/),
      expect.stringMatching(/ghost\.transcript\.json: transcript has no lesson: ghost\.mdx does not exist$/),
    ]);
  });

  it("caches until a file changes (mtime/size) and returns independent copies", async () => {
    await write("lesson-1.mdx", lesson(1));
    const first = await loadCourse(root);
    first.lessons[0]!.title = "mutated by a caller";
    const second = await loadCourse(root);
    expect(second.lessons[0]?.title).toBe("Lesson 1");
    await write("lesson-1.mdx", lesson(1, { title: "Renamed lesson" }));
    const later = new Date(Date.now() + 5000);
    await utimes(path.join(lessons, "lesson-1.mdx"), later, later);
    expect((await loadCourse(root)).lessons[0]?.title).toBe("Renamed lesson");
    await write("lesson-2.mdx", lesson(2));
    expect((await loadCourse(root)).lessons.map((l) => l.next)).toEqual(["lesson-2", null]);
  });

  it("fails clearly when the folder does not exist", async () => {
    expect((await problemsOf(loadCourse(path.join(root, "nope"))))[0]).toMatch(/nope: cannot read the lessons folder/);
  });
});

describe("loadLesson and loadTranscript", () => {
  it("returns compiled code, meta with prev/next and the transcript", async () => {
    await write("lesson-1.mdx", lesson(1, { duration: "60" }, '<Callout type="note">Hi</Callout>\n'));
    await write("lesson-2.mdx", lesson(2));
    await write("lesson-1.transcript.json", serializeTranscriptFile({ version: 1, language: "en", cues: [{ start: 0, end: 2.5, text: "hello" }] }));
    const loaded = await loadLesson(root, "lesson-1");
    expect(loaded).toMatchObject({ slug: "lesson-1", next: "lesson-2", prev: null, hasTranscript: true, duration: 60, transcript: { language: "en", cues: [{ start: 0, end: 2.5, text: "hello" }] } });
    expect(loaded?.code).toContain("Callout");
    expect(await loadTranscript(root, "lesson-1")).toEqual({ language: "en", cues: [{ start: 0, end: 2.5, text: "hello" }] });
    expect(await loadTranscript(root, "lesson-2")).toBeNull();
  });

  it("returns null for unknown or malicious slugs", async () => {
    await write("lesson-1.mdx", lesson(1));
    expect(await loadLesson(root, "lesson-9")).toBeNull();
    expect(await loadLesson(root, "../../etc/passwd")).toBeNull();
    expect(await loadLesson(root, "Lesson-1")).toBeNull();
  });

  it("reuses compiled code while the file is unchanged and recompiles after a change", async () => {
    await write("lesson-1.mdx", lesson(1, {}, "First body\n"));
    const a = await loadLesson(root, "lesson-1");
    const started = performance.now();
    const b = await loadLesson(root, "lesson-1");
    const cachedMs = performance.now() - started;
    expect(b?.code).toBe(a?.code);
    expect(cachedMs).toBeLessThan(50);
    await write("lesson-1.mdx", lesson(1, {}, "Second, longer body\n"));
    const c = await loadLesson(root, "lesson-1");
    expect(c?.code).not.toBe(a?.code);
    expect(c?.code).toContain("Second, longer body");
  });

  it("throws a ContentError for a hostile body and for an invalid transcript", async () => {
    await write("lesson-1.mdx", lesson(1, { duration: "10" }, "{process.exit(1)}\n"));
    expect((await problemsOf(loadLesson(root, "lesson-1")))[0]).toMatch(/lesson-1\.mdx:\d+: JavaScript expressions are not allowed/);
    await write("lesson-1.mdx", lesson(1, { duration: "10" }));
    await write("lesson-1.transcript.json", '{"version":1,"cues":[{"start":0,"end":20,"text":"too long"}]}');
    expect(await problemsOf(loadLesson(root, "lesson-1"))).toEqual([expect.stringMatching(/lesson-1\.transcript\.json: cue 1 \(00:00:00\.000\) ends at 00:00:20\.000, past the end of the video \(0:10\)$/)]);
  });
});

describe("validateContent", () => {
  it("returns every problem across files at once and never throws for content", async () => {
    await write("lesson-1.mdx", lesson(1, { duration: "30" }, "<script>x</script>\n\n<VideoTime t=\"0:45\">late</VideoTime>\n"));
    await write("lesson-2.mdx", lesson(2, { youtube_id: "short" }));
    await write("lesson-3.mdx", lesson(3, {}, "<div>unclosed\n"));
    await write("lesson-1.transcript.json", '{"version":1,"cues":[{"start":5,"end":6,"text":"a"},{"start":5.5,"end":7,"text":"b"}]}');
    await write("lesson-4.transcript.json", "{not json");
    const problems = (await validateContent(root)).map(formatProblem);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/lesson-2\.mdx: front matter field "youtube_id": expected an 11-character YouTube id, got "short"/),
        expect.stringMatching(/lesson-4\.transcript\.json: transcript has no lesson/),
        expect.stringMatching(/lesson-1\.mdx:\d+: <script> is not allowed/),
        expect.stringMatching(/lesson-1\.mdx:\d+: <VideoTime t="0:45"> is past the end of the video \(0:30\)/),
        expect.stringMatching(/lesson-3\.mdx:\d+: MDX syntax error/),
        expect.stringMatching(/lesson-1\.transcript\.json: cue 2 \(00:00:05\.500\) overlaps the previous cue/),
      ]),
    );
    expect(problems).toHaveLength(6);
  });

  it("checks that every <NotebookLink> points at a notebook in the content folder", async () => {
    await write("lesson-1.mdx", lesson(1, {}, '<NotebookLink path="notebooks/lesson-1.ipynb">the notebook</NotebookLink>\n'));
    expect((await validateContent(root)).map(formatProblem)).toEqual([
      expect.stringMatching(/lesson-1\.mdx:\d+: <NotebookLink path="notebooks\/lesson-1\.ipynb">: there is no such notebook in the content folder/),
    ]);
    await mkdir(path.join(root, "notebooks"), { recursive: true });
    await writeFile(path.join(root, "notebooks/lesson-1.ipynb"), '{"cells":[],"metadata":{},"nbformat":4,"nbformat_minor":5}\n');
    expect(await validateContent(root)).toEqual([]);
  });

  it("accepts valid content", async () => {
    await write("lesson-1.mdx", lesson(1));
    expect(await validateContent(root)).toEqual([]);
  });
});

describe("the repository's content folder", () => {
  it("validates clean, including MDX compilation", async () => {
    const problems = await validateContent(realContentDir);
    expect(problems.map(formatProblem)).toEqual([]);
  });

  it("has the setup lesson first (no video of its own) and lesson 1 with its chapters and no committed transcript", async () => {
    const course = await loadCourse(realContentDir);
    expect(course.lessons.map((l) => [l.slug, l.lesson, l.order, l.prev, l.next])).toEqual([
      ["lesson-0-setup", 0, 0, null, "lesson-1"],
      ["lesson-1", 1, 1, "lesson-0-setup", null],
    ]);
    const one = course.lessons[1];
    expect(one).toMatchObject({ title: "Recognizing cats and dogs", youtubeId: "Th_ckFbc6bI", wikiFile: "Lesson_1", notesFile: "Lesson_1_Notes", forumThread: "lesson-1-discussion", hasTranscript: false });
    expect(one?.chapters).toEqual([
      { start: 0, title: "Introduction" },
      { start: 83, title: "Teaching" },
      { start: 137, title: "Paul Lockhart" },
      { start: 280, title: "The New Electricity" },
      { start: 540, title: "Intuition" },
      { start: 1378, title: "Suggestions" },
    ]);
    // The setup lesson has no video of its own: it must not borrow Lesson 1's id, length or chapters.
    expect(course.lessons[0]).toMatchObject({ youtubeId: null, duration: null, chapters: [] });
  });

  it.skipIf(!haveSeeds("the seed prose check"))("does not reuse prose from the seed documents (no 8-word run in common)", async () => {
    const words = (text: string) => text.toLowerCase().match(/[a-z']+/g) ?? [];
    const runs = (text: string) => {
      const w = words(text);
      return new Set(w.slice(0, Math.max(0, w.length - 7)).map((_, i) => w.slice(i, i + 8).join(" ")));
    };
    const seed = runs((await readSeed(JEKYLL_SEED)) + "\n" + (await readSeed(VIDEO_SEED)));
    for (const name of ["lesson-0-setup.mdx", "lesson-1.mdx"]) {
      // Prose only: the front matter field names and ids are facts shared with the seed by design.
      const source = await readFile(path.join(realContentDir, "lessons", name), "utf8");
      const fm = parseLessonFrontMatter(source, name);
      const prose = `${fm.ok ? fm.frontMatter.synopsis : ""}\n${splitFrontMatter(source)?.body ?? ""}`;
      const shared = [...runs(prose)].filter((run) => seed.has(run));
      expect(shared, name).toEqual([]);
    }
  });
});
