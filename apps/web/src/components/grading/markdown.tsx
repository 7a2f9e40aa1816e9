import { renderMarkdown } from "@course/markdown";
import styles from "./grading.module.css";

/**
 * Graders' and students' markdown (feedback, cell comments, regrade reasons), rendered on the server through
 * @course/markdown: sanitized, images from other sites shown as links, no data: images.
 */
export function Markdown({ text, testId }: { text: string; testId?: string }) {
  return <div className={styles.commentBody} data-testid={testId} dangerouslySetInnerHTML={{ __html: renderMarkdown(text).html }} />;
}
