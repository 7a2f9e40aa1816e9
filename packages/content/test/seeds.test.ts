import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  convertJekyllLesson,
  importTranscript,
  loadCourse,
  loadLesson,
  loadTranscript,
  parseTranscript,
  parseWebVTT,
  toPlainText,
  toWebVTT,
  validateContent,
} from "../src/index";
import { JEKYLL_SEED, readSeed, haveSeeds, removeTempDirs, seedWithWhisperQuirks, tempDir, VIDEO_SEED } from "./helpers";

afterAll(removeTempDirs);
const seedsPresent = haveSeeds("the seed import tests");

describe.skipIf(!seedsPresent)("seed 004: chapter list and Whisper transcript", () => {
  it("parses 372 cues and the 6 chapters, skipping the page headings", async () => {
    const doc = parseTranscript(await readSeed(VIDEO_SEED), { source: "004.txt" });
    expect(doc.format).toBe("whisper");
    expect(doc.chapters).toEqual([
      { start: 0, title: "Introduction" },
      { start: 83, title: "Teaching" },
      { start: 137, title: "Paul Lockhart" },
      { start: 280, title: "The New Electricity" },
      { start: 540, title: "Intuition" },
      { start: 1378, title: "Suggestions" },
    ]);
    expect(doc.cues).toHaveLength(372);
    expect(doc.skippedLines).toBe(4);
    expect(doc.cues[0]).toMatchObject({ start: 0, end: 8 });
    expect(doc.cues[1]).toMatchObject({ start: 8, end: 14.64 });
    // The last cue (31:06.680) ends after the documented default because no duration was given.
    expect(doc.cues.at(-1)).toMatchObject({ start: 1866.68, end: 1871.68 });
    for (let i = 1; i < doc.cues.length; i++) expect(doc.cues[i]!.start).toBe(doc.cues[i - 1]!.end);
  });

  it("ends the last cue at the video duration when known, and rejects a too-short duration", async () => {
    const text = await readSeed(VIDEO_SEED);
    expect(parseTranscript(text, { duration: 1874 }).cues.at(-1)?.end).toBe(1874);
    expect(() => parseTranscript(text, { duration: 1200, source: "004.txt" })).toThrow(/line \d+: chapter "Suggestions" starts at 22:58, past the end of the video \(20:00\)/);
  });

  it("round-trips through WebVTT and exports plain text", async () => {
    const { cues } = parseTranscript(await readSeed(VIDEO_SEED));
    const vtt = toWebVTT(cues);
    expect(vtt.startsWith("WEBVTT\n\n1\n00:00:00.000 --> 00:00:08.000\n")).toBe(true);
    expect(parseWebVTT(vtt)).toEqual(cues);
    expect(toPlainText(cues).split("\n").filter(Boolean)).toHaveLength(372);
  });

  it("reports a corrupted seed line with its line number", async () => {
    const lines = (await readSeed(VIDEO_SEED)).split("\n");
    const index = lines.findIndex((l) => l.startsWith("00:00:08.000 | "));
    lines[index] = lines[index]!.replace("00:00:08.000 | ", "00:00:08.000 ");
    expect(() => parseTranscript(lines.join("\n"), { source: "004.txt" })).toThrow(`line ${index + 1}: missing " | " separator`);
  });
});

describe.skipIf(!seedsPresent)("seed 000: Jekyll lesson page", () => {
  it("converts to a valid MDX lesson: entities decoded, number/title split, prev/next dropped", async () => {
    const result = convertJekyllLesson(await readSeed(JEKYLL_SEED), { source: "000.txt" });
    expect(result.slug).toBe("lesson-1");
    expect(result.frontMatter).toMatchObject({
      lesson: 1,
      title: "Recognizing cats and dogs",
      order: 1,
      youtubeId: "Th_ckFbc6bI",
      wikiFile: "Lesson_1",
      notesFile: "Lesson_1_Notes",
      forumThread: "lesson-1-discussion",
      duration: null,
      chapters: [],
    });
    expect(result.frontMatter.synopsis.startsWith("This lesson starts with")).toBe(true);
    expect(result.frontMatter.synopsis).not.toMatch(/[*[\]]/);
    expect(result.mdx).not.toMatch(/prev_url|next_url|layout|&mdash;/);
    expect(result.mdx).toContain("structured. This is the most important step for you to complete\u2014if");
    expect(result.warnings).toEqual(expect.arrayContaining(["dropped prev_url: prev/next are derived from the lesson order", "relative link kept as is: aws.html"]));
  });

  it("imports end to end into a temp content folder that then loads and validates", async () => {
    const root = await tempDir();
    const lessons = path.join(root, "lessons");
    await mkdir(lessons);
    const page = convertJekyllLesson(await readSeed(JEKYLL_SEED), { order: 5, duration: 1874 });
    await writeFile(path.join(lessons, `${page.slug}.mdx`), page.mdx);
    const imported = await importTranscript({ input: VIDEO_SEED, lessonsDir: lessons, slug: "lesson-1", updateChapters: true });
    expect(imported).toMatchObject({ format: "whisper", cues: 372, chaptersWritten: true });
    expect(imported.chapters).toHaveLength(6);

    const course = await loadCourse(root);
    expect(course.lessons).toHaveLength(1);
    expect(course.lessons[0]).toMatchObject({ slug: "lesson-1", order: 5, hasTranscript: true, duration: 1874 });
    expect(course.lessons[0]?.chapters.map((c) => c.start)).toEqual([0, 83, 137, 280, 540, 1378]);
    const lesson = await loadLesson(root, "lesson-1");
    expect(lesson?.transcript?.cues).toHaveLength(372);
    expect(lesson?.transcript?.cues.at(-1)?.end).toBe(1874);
    expect(lesson?.code.length).toBeGreaterThan(100);
    expect(await validateContent(root)).toEqual([]);
    const stored = JSON.parse(await readFile(imported.transcriptFile, "utf8")) as { source: { format: string; file: string } };
    expect(stored.source).toEqual({ format: "whisper", file: path.basename(VIDEO_SEED) });
  });
});

describe.skipIf(!seedsPresent)("seed 004 with what other Whisper exports hold: empty segments, a bar in a title, hours", () => {
  const chapterStarts = [0, 83, 137, 280, 540, 1378, 3600, 4327];

  it("skips and counts the empty segments, keeps the bar in the title and reads h:m:s chapters", async () => {
    const { text, emptyAfter, duration } = await seedWithWhisperQuirks();
    const doc = parseTranscript(text, { source: "004-quirks.txt", duration });
    expect(doc.emptySegments).toBe(4);
    expect(doc.skippedLines).toBe(4);
    expect(doc.cues).toHaveLength(374);
    expect(doc.chapters.map((c) => c.start)).toEqual(chapterStarts);
    expect(doc.chapters[1]).toEqual({ start: 83, title: "Teaching | how this course works" });
    expect(doc.chapters.slice(6)).toEqual([
      { start: 3600, title: "Questions from the forum" },
      { start: 4327, title: "Wrap-up | next steps" },
    ]);
    // A cue before an empty segment ends where the silence starts, not at the next words.
    for (const i of emptyAfter.slice(0, -1)) {
      const [cue, next] = [doc.cues[i]!, doc.cues[i + 1]!];
      expect(cue.end).toBeGreaterThan(cue.start);
      expect(cue.end).toBeCloseTo((cue.start + next.start) / 2, 3);
    }
    expect(doc.cues[371]).toMatchObject({ start: 1866.68, end: 1869.68 });
    expect(doc.cues.slice(372).map((c) => [c.start, c.end])).toEqual([
      [3600, 4327],
      [4327, 4800],
    ]);
  });

  it("imports into the lesson: transcript beside it, chapters in its front matter, read back by the loader", async () => {
    const root = await tempDir();
    const lessons = path.join(root, "lessons");
    await mkdir(lessons);
    const page = convertJekyllLesson(await readSeed(JEKYLL_SEED), { duration: 4800 });
    await writeFile(path.join(lessons, `${page.slug}.mdx`), page.mdx);
    const input = path.join(root, "lesson-1-whisper.txt");
    await writeFile(input, (await seedWithWhisperQuirks()).text);

    const imported = await importTranscript({ input, lessonsDir: lessons, slug: "lesson-1", updateChapters: true });
    expect(imported).toMatchObject({ format: "whisper", cues: 374, emptySegments: 4, skippedLines: 4, chaptersWritten: true });
    expect(imported.transcriptFile).toBe(path.join(lessons, "lesson-1.transcript.json"));

    const lesson = await loadLesson(root, "lesson-1");
    expect(lesson?.chapters.map((c) => c.start)).toEqual(chapterStarts);
    expect(lesson?.chapters.at(-1)).toEqual({ start: 4327, title: "Wrap-up | next steps" });
    expect((await loadTranscript(root, "lesson-1"))?.cues).toHaveLength(374);
    expect(await readFile(path.join(lessons, "lesson-1.mdx"), "utf8")).toContain('{ start: "1:12:07", title: Wrap-up | next steps }');
    expect(await validateContent(root, { compile: false })).toEqual([]);
  });
});
