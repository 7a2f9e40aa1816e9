import "server-only";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { isLessonNotebookPath } from "@course/content";
import { type Notebook, readNotebook } from "@course/notebook";
import { contentDir, getCourse } from "./content";

/** The largest lesson notebook served (they are stored unexecuted, so a few hundred KB at most). */
const MAX_NOTEBOOK_BYTES = 5 * 1024 * 1024;

export interface LessonNotebook {
  /** Path relative to the content folder, as `<NotebookLink path>` gives it (`notebooks/lesson-1.ipynb`). */
  path: string;
  fileName: string;
  text: string;
  notebook: Notebook;
  /** The first markdown heading, or the file name. */
  title: string;
  /** Lessons whose body links to this notebook, in course order. */
  lessons: { slug: string; lesson: number; title: string }[];
}

/** URL path segments after `/notebooks/` -> the content-relative path, or null for anything that is not a lesson notebook. */
export function notebookPathFromSegments(segments: readonly string[]): string | null {
  const relative = ["notebooks", ...segments.map((s) => decodeURIComponent(s))].join("/");
  return isLessonNotebookPath(relative) ? relative : null;
}

function titleOf(notebook: Notebook, fallback: string): string {
  for (const cell of notebook.cells) {
    if (cell.cell_type !== "markdown") continue;
    const text = typeof cell.source === "string" ? cell.source : cell.source.join("");
    const heading = /^#{1,2}\s+(.+)$/m.exec(text)?.[1]?.trim();
    if (heading) return heading;
  }
  return fallback;
}

/**
 * A lesson notebook from the content folder's notebooks/, parsed. Null when the path is not a lesson notebook or the
 * file does not exist; throws NotebookFormatError (from @course/notebook) when the file is not a valid notebook (a content bug that
 * `npm run content:check` also reports).
 */
export async function getLessonNotebook(relative: string): Promise<LessonNotebook | null> {
  if (!isLessonNotebookPath(relative)) return null;
  const root = path.resolve(contentDir());
  const file = path.resolve(root, relative);
  if (!file.startsWith(path.join(root, "notebooks") + path.sep)) return null;
  const text = await readFile(file, "utf8").catch(() => null);
  if (text === null) return null;
  const fileName = path.basename(file);
  const notebook = readNotebook(text, { maxBytes: MAX_NOTEBOOK_BYTES, fileName: relative });
  const course = await getCourse();
  const linking = await Promise.all(
    course.lessons.map(async (l) => ((await readFile(l.file, "utf8").catch(() => "")).includes(`path="${relative}"`) ? [{ slug: l.slug, lesson: l.lesson, title: l.title }] : [])),
  );
  return { path: relative, fileName, text, notebook, title: titleOf(notebook, fileName), lessons: linking.flat() };
}

