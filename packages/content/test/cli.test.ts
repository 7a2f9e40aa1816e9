import { execFile } from "node:child_process";
import { access, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { JEKYLL_SEED, lessonSource, packageRoot, haveSeeds, removeTempDirs, seedWithWhisperQuirks, tempDir, VIDEO_SEED } from "./helpers";

afterAll(removeTempDirs);

const run = promisify(execFile);
const BIN = path.join(packageRoot, "bin", "content-import.js");

/** Runs the CLI as npm would: from the package folder, with INIT_CWD = where the user typed the command. */
async function cli(cwd: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { cwd: packageRoot, env: { ...process.env, INIT_CWD: cwd, COURSE_CONTENT_DIR: "" } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const exists = (p: string) => access(p).then(() => true, () => false);

describe.skipIf(!haveSeeds("the CLI tests on the seed files"))("content-import CLI on the seed files", () => {
  it("imports a lesson page and its transcript with chapters, then checks and exports", async () => {
    const root = await tempDir();
    const lesson = await cli(root, "lesson", JEKYLL_SEED, "--out", "content/lessons/", "--order", "3", "--duration", "31:14");
    expect(lesson.stderr).toBe("");
    expect(lesson.code).toBe(0);
    expect(lesson.stdout).toContain('imported lesson 1 "Recognizing cats and dogs" (order 3) -> content/lessons/lesson-1.mdx');
    expect(lesson.stdout).toContain("note: dropped next_url");

    const again = await cli(root, "lesson", JEKYLL_SEED, "--out", "content/lessons/");
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("already exists (pass --force to overwrite)");

    const before = await readFile(path.join(root, "content/lessons/lesson-1.mdx"), "utf8");
    const withoutChapters = await cli(root, "transcript", VIDEO_SEED, "--lesson", "lesson-1");
    expect(withoutChapters.code).toBe(0);
    expect(withoutChapters.stdout).toContain("found 6 chapters, not applied (pass --chapters");
    expect(await readFile(path.join(root, "content/lessons/lesson-1.mdx"), "utf8")).toBe(before);

    const transcript = await cli(root, "transcript", VIDEO_SEED, "--lesson", "lesson-1", "--content", "content/lessons/", "--chapters");
    expect(transcript.code).toBe(0);
    expect(transcript.stdout).toContain("imported 372 cues, 6 chapters (whisper) -> content/lessons/lesson-1.transcript.json");
    expect(transcript.stdout).toContain("chapters written to content/lessons/lesson-1.mdx: 0:00 Introduction, 1:23 Teaching");
    const mdx = await readFile(path.join(root, "content/lessons/lesson-1.mdx"), "utf8");
    expect(mdx).toContain('  - { start: "22:58", title: Suggestions }');

    const check = await cli(root, "check");
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/content ok: 1 lessons, 1 with transcripts/);

    const vtt = await cli(root, "export", "lesson-1", "--as", "vtt");
    expect(vtt.stdout.startsWith("WEBVTT\n\n1\n00:00:00.000 --> 00:00:08.000\n")).toBe(true);
    const chapters = await cli(root, "export", "lesson-1", "--as", "chapters");
    expect(chapters.stdout).toContain("00:22:58.000 --> 00:31:14.000\nSuggestions");
  });

  it("imports a Whisper export with empty segments, a bar in a chapter title and chapters past the hour", async () => {
    const root = await tempDir();
    expect((await cli(root, "lesson", JEKYLL_SEED, "--out", "content/lessons/", "--duration", "1:20:00")).code).toBe(0);
    await writeFile(path.join(root, "whisper.txt"), (await seedWithWhisperQuirks()).text);

    const transcript = await cli(root, "transcript", "whisper.txt", "--lesson", "lesson-1", "--chapters");
    expect(transcript.stderr).toBe("");
    expect(transcript.code).toBe(0);
    expect(transcript.stdout).toContain("imported 374 cues (skipped 4 empty), 8 chapters (whisper) -> content/lessons/lesson-1.transcript.json");
    expect(transcript.stdout).toContain("  skipped 4 heading lines");
    expect(transcript.stdout).toContain(
      "chapters written to content/lessons/lesson-1.mdx: 0:00 Introduction, 1:23 Teaching | how this course works, 2:17 Paul Lockhart, " +
        "4:40 The New Electricity, 9:00 Intuition, 22:58 Suggestions, 1:00:00 Questions from the forum, 1:12:07 Wrap-up | next steps",
    );

    expect((await cli(root, "check")).stdout).toMatch(/content ok: 1 lessons, 1 with transcripts/);
    const chapters = await cli(root, "export", "lesson-1", "--as", "chapters");
    expect(chapters.stdout).toContain("00:01:23.000 --> 00:02:17.000\nTeaching | how this course works");
    expect(chapters.stdout).toContain("01:00:00.000 --> 01:12:07.000\nQuestions from the forum\n\n01:12:07.000 --> 01:20:00.000\nWrap-up | next steps");
  });
});

describe("content-import CLI on malformed input", () => {
  it("refuses a malformed transcript, lists the bad lines and writes nothing", async () => {
    const root = await tempDir();
    const lessons = path.join(root, "content", "lessons");
    await mkdir(lessons, { recursive: true });
    await writeFile(path.join(lessons, "lesson-1.mdx"), lessonSource());
    await writeFile(path.join(root, "bad.txt"), "00:00:00.000 | ok\n00:00:0x.000 | bad\n00:00:05.000 missing bar\n00:00:05.000 | dup\n00:00:05.000 | dup again\n");
    const result = await cli(root, "transcript", "bad.txt", "--lesson", "lesson-1", "--format", "whisper");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("line 2: bad timestamp");
    expect(result.stderr).toContain('line 3: missing " | " separator');
    expect(result.stderr).toContain("line 5: cue starts at 00:00:05.000, at the same time as the previous line 4");
    expect(await exists(path.join(lessons, "lesson-1.transcript.json"))).toBe(false);
  });

  it("refuses a transcript for a lesson that does not exist", async () => {
    const root = await tempDir();
    await mkdir(path.join(root, "content", "lessons"), { recursive: true });
    await writeFile(path.join(root, "t.vtt"), "WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nhi\n");
    const result = await cli(root, "transcript", "t.vtt", "--lesson", "lesson-7");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no lesson "lesson-7" here');
  });

  it("check exits 1 and lists every problem", async () => {
    const root = await tempDir();
    const lessons = path.join(root, "content", "lessons");
    await mkdir(lessons, { recursive: true });
    await writeFile(path.join(lessons, "lesson-1.mdx"), lessonSource({ youtube_id: "abc" }));
    await writeFile(path.join(lessons, "lesson-2.mdx"), lessonSource({ lesson: "2", forum_thread: "two" }, "import x from 'y'\n"));
    const result = await cli(root, "check", "--content", "content");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('content/lessons/lesson-1.mdx: front matter field "youtube_id": expected an 11-character YouTube id, got "abc" (line 4)');
    expect(result.stderr).toMatch(/content\/lessons\/lesson-2\.mdx:\d+: import\/export statements are not allowed/);
    expect(result.stderr).toContain("2 content problems");
  });

  it("check also validates homework assignments against the lessons", async () => {
    const root = await tempDir();
    await mkdir(path.join(root, "content", "lessons"), { recursive: true });
    await mkdir(path.join(root, "content", "homework"), { recursive: true });
    await writeFile(path.join(root, "content", "lessons", "lesson-1.mdx"), lessonSource({}));
    const repoAssignment = await readFile(path.resolve(import.meta.dirname, "../../../content/homework/lesson-1.yaml"), "utf8");
    await writeFile(path.join(root, "content", "homework", "lesson-1.yaml"), repoAssignment);
    const ok = await cli(root, "check", "--content", "content");
    expect(ok.stdout).toContain("1 homework assignment");
    expect(ok.code).toBe(0);
    await writeFile(path.join(root, "content", "homework", "lesson-1.yaml"), repoAssignment.replace(/^lesson: .*$/m, "lesson: lesson-9"));
    const bad = await cli(root, "check", "--content", "content");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('no lesson "lesson-9"');
  });

  it("rejects bad arguments with usage and exit code 2", async () => {
    const root = await tempDir();
    const badOrder = await cli(root, "lesson", "x.md", "--out", "o", "--order", "two");
    expect(badOrder.code).toBe(2);
    expect(badOrder.stderr).toContain("--order: expected a whole number");
    const badFormat = await cli(root, "transcript", "x", "--lesson", "a", "--format", "docx");
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toMatch(/--format: /);
  });
});
