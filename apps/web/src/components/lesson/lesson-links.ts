import { isLessonNotebookPath, type LessonFrontMatter } from "@course/content";
import { lessonThreadPath } from "~/server/forum/paths";
import { wikiPath } from "~/server/wiki/titles";

export interface LessonLink {
  /** What the link is ("Wiki", "Notes", "Forum thread"). */
  label: string;
  /** The page or thread name from the front matter. */
  name: string;
  /** Where it lives, or null while that feature does not exist yet (rendered as plain text, never a dead link). */
  href: string | null;
}

/**
 * The lesson's wiki page, notes page and forum thread (each created at start from the lesson when absent, see
 * server/wiki/lessons.ts and server/forum/lesson-threads.ts). The thread's address is its name (`/forum/l/<name>`
 * finds the topic), so this stays a pure function the cached lesson page can call.
 */
export function lessonLinks(lesson: Pick<LessonFrontMatter, "wikiFile" | "notesFile" | "forumThread">): LessonLink[] {
  return [
    { label: "Wiki", name: lesson.wikiFile.replace(/_/g, " "), href: wikiPath(lesson.wikiFile) },
    { label: "Notes", name: lesson.notesFile.replace(/_/g, " "), href: wikiPath(lesson.notesFile) },
    { label: "Forum thread", name: lesson.forumThread, href: lessonThreadPath(lesson.forumThread) },
  ];
}

/** Where a notebook path from `<NotebookLink>` (`notebooks/x.ipynb`, checked by the content policy) is shown. */
export function notebookHref(path: string): string | null {
  return isLessonNotebookPath(path) ? `/${path}` : null;
}
