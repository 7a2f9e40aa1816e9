import "server-only";
import path from "node:path";
import { loadCourse } from "@course/content";
import { findRepoRoot } from "@course/db";
import { serverEnv } from "~/env";

/** The content folder: COURSE_CONTENT_DIR, or `content/` at the project root. */
export function contentDir(): string {
  return path.resolve(/*turbopackIgnore: true*/ serverEnv().COURSE_CONTENT_DIR ?? path.join(findRepoRoot(), "content"));
}

export function getCourse() {
  return loadCourse(contentDir());
}
