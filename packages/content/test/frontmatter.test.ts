import { describe, expect, it } from "vitest";
import { formatProblem, parseLessonFrontMatter, replaceChapters, stringifyFrontMatter } from "../src/index";
import { lessonSource } from "./helpers";

const FILE = "content/lessons/lesson-1.mdx";

function problemsOf(source: string) {
  const result = parseLessonFrontMatter(source, FILE);
  if (result.ok) throw new Error("expected problems");
  return result.problems.map(formatProblem);
}

describe("parseLessonFrontMatter", () => {
  it("normalizes a valid file (camelCase, order defaults to lesson, clock strings)", () => {
    const result = parseLessonFrontMatter(
      lessonSource({ duration: '"31:14"', chapters: '\n  - { start: "0:00", title: Intro }\n  - { start: 83, title: Teaching }' }),
      FILE,
    );
    expect(result).toEqual({
      ok: true,
      frontMatter: {
        lesson: 1,
        title: "A lesson",
        order: 1,
        youtubeId: "Th_ckFbc6bI",
        wikiFile: "Lesson_1",
        notesFile: "Lesson_1_Notes",
        forumThread: "lesson-1-discussion",
        synopsis: "What this lesson is about.",
        duration: 1874,
        chapters: [
          { start: 0, title: "Intro" },
          { start: 83, title: "Teaching" },
        ],
      },
    });
  });

  it("names the file, the field, what was expected and the line", () => {
    expect(problemsOf(lessonSource({ youtube_id: "abc" }))).toEqual([
      'content/lessons/lesson-1.mdx: front matter field "youtube_id": expected an 11-character YouTube id, got "abc" (line 4)',
    ]);
  });

  it("accepts a lesson without a video of its own (no youtube_id), and refuses chapters or a duration on it", () => {
    const result = parseLessonFrontMatter(lessonSource({ youtube_id: "<omit>" }), FILE);
    expect(result).toMatchObject({ ok: true, frontMatter: { youtubeId: null, duration: null, chapters: [] } });
    if (result.ok) expect(stringifyFrontMatter(result.frontMatter)).not.toContain("youtube_id");
    expect(problemsOf(lessonSource({ youtube_id: "<omit>", duration: '"31:14"', chapters: '\n  - { start: "0:00", title: Welcome }' }))).toEqual([
      expect.stringMatching(/field "chapters": chapters describe the lesson's video, but the lesson has no youtube_id; remove chapters or add the lesson's own video \(line 10\)$/),
      expect.stringMatching(/field "duration": duration describes the lesson's video, but the lesson has no youtube_id/),
    ]);
  });

  it("reports every problem at once", () => {
    const problems = problemsOf(lessonSource({ lesson: "one", forum_thread: "Lesson 1!", wiki_file: "<omit>", synopsis: '""' }));
    expect(problems).toEqual([
      'content/lessons/lesson-1.mdx: front matter field "lesson": expected a lesson number (a whole number, 0 or more), got "one" (line 2)',
      expect.stringContaining('field "wiki_file": is required (a wiki page name like "Lesson_1")'),
      expect.stringContaining('field "forum_thread": expected a forum thread slug like "lesson-1-discussion"'),
      expect.stringContaining('field "synopsis": expected a one-paragraph synopsis, got an empty string'),
    ]);
  });

  it("rejects hand-written prev/next/slug and unknown fields", () => {
    const problems = problemsOf(lessonSource({ prev_url: "aws.html", slug: "x", youtube: "Th_ckFbc6bI" }));
    expect(problems).toEqual([
      'content/lessons/lesson-1.mdx: front matter field "prev_url": prev/next are derived from the lesson order; remove this field (line 9)',
      'content/lessons/lesson-1.mdx: front matter field "slug": the slug comes from the file name; remove this field (line 10)',
      expect.stringMatching(/field "youtube": unknown field \(known fields: lesson, title, .*\) \(line 11\)$/),
    ]);
  });

  it("validates chapters: first at 0, ascending, inside the duration, non-empty titles", () => {
    const chapters = '\n  - { start: "0:05", title: A }\n  - { start: "0:04", title: B }\n  - { start: "2:00", title: "" }\n  - { start: "9:99", title: D }';
    const problems = problemsOf(lessonSource({ duration: "100", chapters }));
    expect(problems).toEqual([
      expect.stringMatching(/field "chapters\.2\.title": expected a non-empty chapter title, got an empty string \(line 13\)$/),
      expect.stringMatching(/field "chapters\.3\.start": expected seconds or a time like "1:23", got "9:99" \(line 14\)$/),
    ]);
    const ordered = problemsOf(lessonSource({ duration: "100", chapters: '\n  - { start: "0:05", title: A }\n  - { start: "0:04", title: B }\n  - { start: "2:00", title: C }' }));
    expect(ordered).toEqual([
      expect.stringMatching(/field "chapters\.0\.start": the first chapter must start at 0:00, got 0:05 \(line 11\)$/),
      expect.stringMatching(/field "chapters\.1\.start": chapters must be in ascending order/),
      expect.stringMatching(/field "chapters\.2\.start": chapter "C" starts at 2:00, past the end of the video \(1:40\)/),
    ]);
  });

  it("rejects unknown keys inside a chapter", () => {
    expect(problemsOf(lessonSource({ chapters: '\n  - { start: 0, title: Intro, at: 5 }' }))).toEqual([expect.stringMatching(/field "chapters\.0": .*"at".* \(line 10\)$/)]);
  });

  it("rejects chapters given as an object keyed by time", () => {
    expect(problemsOf(lessonSource({ chapters: '\n  "0:00": Intro' }))).toEqual([expect.stringContaining('field "chapters": expected a list of chapters, got a mapping')]);
  });

  it("reports missing front matter and YAML syntax errors with lines", () => {
    expect(problemsOf("# no front matter\n")).toEqual([expect.stringMatching(/^content\/lessons\/lesson-1\.mdx:1: missing front matter/)]);
    expect(problemsOf("---\nlesson: 1\ntitle: [unclosed\n---\n")[0]).toMatch(/^content\/lessons\/lesson-1\.mdx:3: front matter is not valid YAML/);
    expect(problemsOf("---\nlesson: 1\nlesson: 2\n---\n")[0]).toMatch(/^content\/lessons\/lesson-1\.mdx:3: front matter is not valid YAML: .*unique/i);
  });
});

describe("stringifyFrontMatter and replaceChapters", () => {
  it("writes front matter that parses back to the same data", () => {
    const parsed = parseLessonFrontMatter(lessonSource({ duration: "4000" }), FILE);
    if (!parsed.ok) throw new Error("fixture invalid");
    const fm = { ...parsed.frontMatter, chapters: [{ start: 0, title: "Intro: the start" }, { start: 3723, title: "Late # chapter" }] };
    const again = parseLessonFrontMatter(`${stringifyFrontMatter(fm)}\nBody\n`, FILE);
    expect(again).toEqual({ ok: true, frontMatter: fm });
    expect(stringifyFrontMatter(fm)).toContain('  - { start: "1:02:03", title: "Late # chapter" }');
  });

  it("replaces only the chapters, keeping comments, other fields and the body", () => {
    const source = lessonSource({ duration: "1874 # approximate" }, "Body {/* kept */}\n");
    const updated = replaceChapters(source, [{ start: 0, title: "Intro" }, { start: 540, title: "Intuition" }]);
    expect(updated).toContain("duration: 1874 # approximate");
    expect(updated.endsWith("Body {/* kept */}\n")).toBe(true);
    const parsed = parseLessonFrontMatter(updated, FILE);
    expect(parsed.ok && parsed.frontMatter.chapters).toEqual([
      { start: 0, title: "Intro" },
      { start: 540, title: "Intuition" },
    ]);
  });
});
