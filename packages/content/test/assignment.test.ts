import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ContentError, DEFAULT_DAILY_LIMIT, loadAssignments, parseByteSize } from "../src/index";
import { realContentDir, removeTempDirs, tempDir } from "./helpers";

afterAll(removeTempDirs);

const valid = (fields: Record<string, string> = {}) => {
  const base: Record<string, string> = {
    slug: "lesson-1",
    lesson: "lesson-1",
    title: '"Dogs vs. Cats"',
    benchmark: "dogscats",
    template: "lesson-1.ipynb",
    deadline: '"2030-01-31T23:59:00Z"',
    max_file_size: "5 MB",
    rubric: "\n  - id: runs\n    title: Runs\n    description: It runs.\n    max_points: 4",
  };
  return Object.entries({ ...base, ...fields })
    .filter(([, v]) => v !== "")
    .map(([k, v]) => `${k}: ${v}`)
    .join("\n") + "\n";
};

async function contentWith(files: Record<string, string>): Promise<string> {
  const dir = await tempDir();
  await mkdir(path.join(dir, "homework"));
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, "homework", name), text);
  return dir;
}

async function problemsOf(dir: string, options = {}) {
  const error = await loadAssignments(dir, options).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ContentError);
  return (error as ContentError).problems;
}

describe("loadAssignments", () => {
  it("loads a valid assignment with defaults and the template's presence", async () => {
    const dir = await contentWith({ "lesson-1.yaml": valid(), "lesson-1.ipynb": "{}" });
    const [a, ...rest] = await loadAssignments(dir, { lessonSlugs: ["lesson-1"] });
    expect(rest).toEqual([]);
    expect(a).toMatchObject({
      slug: "lesson-1",
      lesson: "lesson-1",
      title: "Dogs vs. Cats",
      benchmark: "dogscats",
      template: "lesson-1.ipynb",
      templateExists: true,
      dailyLimit: DEFAULT_DAILY_LIMIT,
      maxFileBytes: 5_000_000,
      rubric: [{ id: "runs", title: "Runs", description: "It runs.", maxPoints: 4 }],
    });
    expect(a!.deadline.toISOString()).toBe("2030-01-31T23:59:00.000Z");
    expect(a!.templateFile).toBe(path.join(dir, "homework", "lesson-1.ipynb"));
  });

  it("honours a configured daily limit and a template that is not there yet", async () => {
    const dir = await contentWith({ "lesson-1.yaml": valid({ daily_limit: "5", max_file_size: "1048576" }) });
    const [a] = await loadAssignments(dir);
    expect(a).toMatchObject({ dailyLimit: 5, maxFileBytes: 1_048_576, templateExists: false });
  });

  it("names the file, the field, the line and what was expected", async () => {
    const dir = await contentWith({
      "lesson-1.yaml": valid({ deadline: '"2030-01-31 23:59"', daily_limit: "0", benchmark: "Dogs Cats" }),
    });
    const problems = await problemsOf(dir);
    const byField = Object.fromEntries(problems.map((p) => [p.field, p]));
    expect(byField.deadline?.message).toMatch(/ISO 8601 date-time with a zone/);
    expect(byField.deadline?.line).toBe(6);
    expect(byField.daily_limit?.message).toMatch(/at least 1/);
    expect(byField.benchmark?.message).toMatch(/benchmark id/);
    expect(byField.benchmark?.line).toBe(4);
    expect(problems.every((p) => p.file.endsWith(path.join("homework", "lesson-1.yaml")))).toBe(true);
  });

  it("reports unknown fields, bad rubric entries, unsafe template paths and a slug that is not the file name", async () => {
    const dir = await contentWith({
      "a.yaml": valid({ slug: "a", colour: "blue", rubric: "\n  - id: runs\n    title: Runs\n    description: x\n    max_points: 0", template: "../../etc/passwd.ipynb" }),
      "b.yaml": valid({ slug: "not-b", max_file_size: "lots" }),
    });
    const problems = await problemsOf(dir);
    const messages = problems.map((p) => `${path.basename(p.file)} ${p.field}: ${p.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^a\.yaml colour: unknown field colour/),
        expect.stringMatching(/^a\.yaml rubric\.0\.max_points: expected more than 0 points/),
        expect.stringMatching(/^a\.yaml template: expected a path inside content\/homework/),
        expect.stringMatching(/^b\.yaml max_file_size: expected a size like "5 MB"/),
      ]),
    );
    const fixed = await contentWith({ "b.yaml": valid({ slug: "not-b" }) });
    expect((await problemsOf(fixed))[0]).toMatchObject({ field: "slug", message: 'expected "b" (the file name), got "not-b"' });
  });

  it("checks the lesson exists when given the course's lessons, and says so for YAML syntax errors", async () => {
    const dir = await contentWith({ "lesson-1.yaml": valid({ lesson: "lesson-9" }) });
    expect((await problemsOf(dir, { lessonSlugs: ["lesson-0", "lesson-1"] }))[0]).toMatchObject({ field: "lesson", message: expect.stringMatching(/no lesson "lesson-9"/) });
    const broken = await contentWith({ "lesson-1.yaml": "slug: [unclosed\n" });
    expect((await problemsOf(broken))[0]?.message).toMatch(/not valid YAML/);
  });

  it("treats a missing homework folder as no assignments", async () => {
    expect(await loadAssignments(await tempDir())).toEqual([]);
  });

  it("parses byte sizes", () => {
    expect(parseByteSize("5 MB")).toBe(5_000_000);
    expect(parseByteSize("512 KiB")).toBe(524_288);
    expect(parseByteSize(10)).toBe(10);
    expect(parseByteSize("5 GB")).toBeNull();
    expect(parseByteSize(-1)).toBeNull();
  });

  it("accepts the course's own Lesson 1 assignment", async () => {
    const all = await loadAssignments(realContentDir, { lessonSlugs: ["lesson-0-setup", "lesson-1"] });
    const lesson1 = all.find((a) => a.slug === "lesson-1");
    expect(lesson1).toMatchObject({ lesson: "lesson-1", benchmark: "dogscats", template: "lesson-1.ipynb", dailyLimit: 2 });
    expect(lesson1!.rubric.length).toBeGreaterThan(0);
  });
});
