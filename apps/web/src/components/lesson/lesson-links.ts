import { isLessonNotebookPath, type LessonFrontMatter } from "@course/content";

export interface LessonLink {
  /** What the link is ("Wiki", "Notes", "Forum thread"). */
  label: string;
  /** The page or thread name from the front matter. */
  name: string;
  /** Where it lives, or null while that feature does not exist yet (rendered as plain text, never a dead link). */
  href: string | null;
}

/**
 * The lesson's wiki page, notes page and forum thread. The wiki and forum are not built yet, so every href is
 * null; when they land, this is the one place that turns the names into links.
 */
export function lessonLinks(lesson: Pick<LessonFrontMatter, "wikiFile" | "notesFile" | "forumThread">): LessonLink[] {
  return [
    { label: "Wiki", name: lesson.wikiFile, href: null },
    { label: "Notes", name: lesson.notesFile, href: null },
    { label: "Forum thread", name: lesson.forumThread, href: null },
  ];
}

/** Where a notebook path from `<NotebookLink>` (`notebooks/x.ipynb`, checked by the content policy) is shown. */
export function notebookHref(path: string): string | null {
  return isLessonNotebookPath(path) ? `/${path}` : null;
}
