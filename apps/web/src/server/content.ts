import "server-only";
import path from "node:path";
import { loadCourse } from "@course/content";
import { findRepoRoot } from "@course/db";
import { contentDirEnv } from "~/env";

/**
 * The content folder: COURSE_CONTENT_DIR, or `content/` at the project root. Read on its own (contentDirEnv, not
 * serverEnv(), whose other checks need the secrets of a running site): the course home is also rendered once while
 * building, a render that the page cache (cache-handler.mjs) never serves, since it is keyed by the content on disk
 * when the site runs.
 */
export function contentDir(): string {
  return path.resolve(/*turbopackIgnore: true*/ contentDirEnv() ?? path.join(findRepoRoot(), "content"));
}

export function getCourse() {
  return loadCourse(contentDir());
}
