import { renderMarkdown } from "~/components/notebook";
import styles from "./grading.module.css";

/** Graders' markdown (feedback, comments, answers), rendered on the server and sanitized like notebook markdown. */
export function Markdown({ text, testId }: { text: string; testId?: string }) {
  return <div className={styles.commentBody} data-testid={testId} dangerouslySetInnerHTML={{ __html: renderMarkdown(text) }} />;
}
