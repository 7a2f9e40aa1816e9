import { describe, expect, it } from "vitest";
import { ContentError, parseForumCategories } from "../src/index";

const lessons = [
  { slug: "lesson-0-setup", lesson: 0, title: "Setup", synopsis: "Get   ready." },
  { slug: "lesson-1", lesson: 1, title: "Cats and dogs", synopsis: "Train a model." },
];

function problemsOf(source: string): string[] {
  try {
    parseForumCategories(source, lessons, "categories.yaml");
  } catch (error) {
    if (error instanceof ContentError) return error.problems.map((p) => `${p.field ?? ""}@${p.line ?? "?"}: ${p.message}`);
    throw error;
  }
  return [];
}

describe("forum categories from content", () => {
  it("puts one category per lesson where the file says `lessons`, in order", () => {
    const source = "categories:\n  - slug: general\n    name: General\n  - lessons\n  - slug: homework-help\n    name: Homework help\n    color: '#d97706'\n";
    const cats = parseForumCategories(source, lessons);
    expect(cats.map((c) => [c.slug, c.position, c.lessonSlug])).toEqual([
      ["general", 0, null],
      ["lesson-0-setup", 1, "lesson-0-setup"],
      ["lesson-1", 2, "lesson-1"],
      ["homework-help", 3, null],
    ]);
    expect(cats[2]).toMatchObject({ name: "Lesson 1: Cats and dogs", description: "Train a model.", solvable: true });
    expect(cats[3]!.color).toBe("#d97706");
  });

  it("without a file, the lessons' categories only; without `lessons`, they come last", () => {
    expect(parseForumCategories(null, lessons).map((c) => c.slug)).toEqual(["lesson-0-setup", "lesson-1"]);
    expect(parseForumCategories("categories:\n  - { slug: general, name: General }\n", lessons).map((c) => c.slug)).toEqual(["general", "lesson-0-setup", "lesson-1"]);
  });

  it("names every problem with its field and line", () => {
    expect(problemsOf("categories:\n  - { slug: general, name: General }\n  - { slug: general, name: Again }\n")).toEqual(['categories.1.slug@3: duplicate category slug "general"']);
    expect(problemsOf("categories:\n  - { slug: lesson-1, name: Clash }\n")[0]).toMatch(/lesson's slug/);
    expect(problemsOf("categories:\n  - { slug: Bad Slug, name: X }\n")[0]).toMatch(/^categories\.0\.slug@2: expected a kebab-case slug/);
    expect(problemsOf("categories:\n  - { slug: x, name: X, colour: red }\n")[0]).toMatch(/unknown field colour/);
    expect(problemsOf("categories: [\n")[0]).toMatch(/not valid YAML/);
  });
});
