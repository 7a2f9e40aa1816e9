import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { contentRoot } from "./homework-support";
import { GET } from "~/app/api/notebooks/[...path]/route";
import { notebookHref } from "~/components/lesson/lesson-links";
import { getLessonNotebook, notebookPathFromSegments } from "~/server/notebooks";

const download = (segments: string[]) => GET(new Request(`http://localhost/api/notebooks/${segments.join("/")}`), { params: Promise.resolve({ path: segments }) });

describe("lesson notebooks (content/notebooks)", () => {
  it("maps <NotebookLink> paths to their page and URL segments back to paths", () => {
    expect(notebookHref("notebooks/lesson-1.ipynb")).toBe("/notebooks/lesson-1.ipynb");
    expect(notebookHref("homework/lesson-1.ipynb")).toBeNull();
    expect(notebookPathFromSegments(["lesson-1.ipynb"])).toBe("notebooks/lesson-1.ipynb");
    expect(notebookPathFromSegments(["extra", "a.ipynb"])).toBe("notebooks/extra/a.ipynb");
    for (const bad of [[".."], ["..", "homework", "lesson-1.ipynb"], ["%2E%2E", "x.ipynb"], ["..%2F..%2Fpackage.json"], ["x.json"], [""], ["a", "", "b.ipynb"]]) {
      expect(notebookPathFromSegments(bad), bad.join("/")).toBeNull();
    }
  });

  it("reads a notebook with its title and the lessons that link to it", async () => {
    const found = await getLessonNotebook("notebooks/lesson-1.ipynb");
    expect(found?.title).toBe("Lesson 1: dogs or cats?");
    expect(found?.lessons.map((l) => l.slug)).toEqual(["lesson-1"]);
    expect(found?.notebook.cells.length).toBeGreaterThan(5);
    expect(await getLessonNotebook("notebooks/missing.ipynb")).toBeNull();
  });

  it("serves the file as a download and 404s for anything outside notebooks/", async () => {
    const res = await download(["lesson-0-setup.ipynb"]);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="lesson-0-setup.ipynb"');
    expect(res.headers.get("content-type")).toBe("application/x-ipynb+json; charset=utf-8");
    expect(await res.text()).toBe(fs.readFileSync(path.join(contentRoot, "notebooks/lesson-0-setup.ipynb"), "utf8"));
    for (const bad of [["..", "homework", "open-hw.yaml"], ["..", "homework", "lesson-1.ipynb"], ["missing.ipynb"]]) {
      expect((await download(bad)).status, bad.join("/")).toBe(404);
    }
  });
});
