import { getMDXComponent } from "mdx-bundler/client";
import { Callout, NotebookLink, videoTimeFor } from "./course-components";

/**
 * Renders a lesson's compiled MDX on the server (compiled and policy-checked by @course/content, so it holds
 * markup only) with the course components.
 */
export function LessonBody({ code, slug }: { code: string; slug: string }) {
  const Body = getMDXComponent(code);
  return <Body components={{ Callout, NotebookLink, VideoTime: videoTimeFor(slug) }} />;
}
