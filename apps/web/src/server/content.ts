import "server-only";
import path from "node:path";
import { loadCourse } from "@course/content";
import { findRepoRoot } from "@course/db";

/**
 * The content folder: COURSE_CONTENT_DIR, or `content/` at the project root. Read straight from the environment (not
 * through serverEnv(), whose other checks need the secrets of a running site): the course home is also rendered
 * once while building, a render that the page cache (cache-handler.mjs) never serves, since it is keyed by the
 * content on disk when the site runs.
 */
export function contentDir(): string {
  return path.resolve(/*turbopackIgnore: true*/ process.env.COURSE_CONTENT_DIR || path.join(findRepoRoot(), "content"));
}

export function getCourse() {
  return loadCourse(contentDir());
}
