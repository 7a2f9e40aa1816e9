import { describe, expect, it } from "vitest";
import { ParseError, parseChapterList, validateChapters } from "../src/index";

function issuesOf(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    if (error instanceof ParseError) return error.issues;
    throw error;
  }
  throw new Error("expected a ParseError");
}

describe("parseChapterList", () => {
  it("parses m:s lines with unpadded seconds and h:mm:ss", () => {
    expect(parseChapterList("0:0 Introduction\n1:23 Teaching\n\n9:0 Intuition\n1:02:03 Much later\n")).toEqual([
      { start: 0, title: "Introduction" },
      { start: 83, title: "Teaching" },
      { start: 540, title: "Intuition" },
      { start: 3723, title: "Much later" },
    ]);
  });

  it("reports every malformed line with its line number", () => {
    const issues = issuesOf(() => parseChapterList("0:0 Intro\n1:75 Bad seconds\nno time here\n2:00\n3:00   \n", { source: "ch.txt" }));
    expect(issues).toEqual([
      { line: 2, message: expect.stringContaining("seconds must be 0-59") },
      { line: 3, message: expect.stringContaining('expected "m:ss Title"') },
      { line: 4, message: expect.stringContaining("missing chapter title") },
      { line: 5, message: expect.stringContaining("missing chapter title") },
    ]);
  });

  it("rejects a first chapter not at 0:00", () => {
    const issues = issuesOf(() => parseChapterList("0:05 Intro\n1:00 Next"));
    expect(issues).toEqual([{ line: 1, message: "the first chapter must start at 0:00, got 0:05" }]);
  });

  it("rejects descending chapters and equal timestamps (collisions)", () => {
    const issues = issuesOf(() => parseChapterList("0:00 A\n2:00 B\n1:00 C\n3:00 D\n3:00 E"));
    expect(issues.map((i) => i.line)).toEqual([3, 5]);
    expect(issues[0]?.message).toContain("ascending order");
    expect(issues[1]?.message).toContain("the same time as chapter \"D\"");
  });

  it("rejects chapters past the end of the video", () => {
    const issues = issuesOf(() => parseChapterList("0:00 A\n10:00 B", { duration: 600 }));
    expect(issues).toEqual([{ line: 2, message: 'chapter "B" starts at 10:00, past the end of the video (10:00)' }]);
    expect(parseChapterList("0:00 A\n9:59 B", { duration: 600 })).toHaveLength(2);
  });

  it("error messages name the source", () => {
    expect(() => parseChapterList("x", { source: "chapters.txt" })).toThrow(/^chapters\.txt: 1 problem\n {2}line 1: /);
  });
});

describe("validateChapters", () => {
  it("accepts an empty list and a valid list", () => {
    expect(validateChapters([])).toEqual([]);
    expect(validateChapters([{ start: 0, title: "A" }, { start: 10, title: "B" }], { duration: 11 })).toEqual([]);
  });
  it("flags empty titles by index and part", () => {
    expect(validateChapters([{ start: 0, title: "  " }])).toEqual([{ index: 0, part: "title", message: "chapter title is empty" }]);
  });
});
