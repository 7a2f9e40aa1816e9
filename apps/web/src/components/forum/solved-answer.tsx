"use client";

import { useConversation } from "./conversation-context";
import styles from "./conversation.module.css";

/** Under the question (the first post): the accepted answer's author, its start and a link to it. */
export function SolvedAnswer() {
  const context = useConversation();
  const answer = context?.conversation.answer;
  if (!answer) return null;
  return (
    <aside className={styles.answer} data-testid="solved-answer" aria-label="Accepted answer">
      <p>
        <strong>✓ Solved</strong> by {answer.author} in <a href={answer.url}>post #{answer.number}</a>
        <span className={styles.count}> · marked by {answer.solvedBy}</span>
      </p>
      <blockquote>{answer.excerpt}</blockquote>
    </aside>
  );
}
