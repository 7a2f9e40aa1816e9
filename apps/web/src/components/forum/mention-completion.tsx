"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useId, useState } from "react";
import { useTRPC } from "~/trpc/react";
import { completeMention, mentionAt } from "./conversation-text";
import styles from "./conversation.module.css";

/**
 * `@` completion for the composer's textarea: members whose username (or name) starts with what follows the `@`, the
 * topic's participants first. Like the wiki's `[[` completion: a listbox under the textarea, driven by the arrow
 * keys, Enter or Tab, and Escape; `onKeyDown` returns true when it handled the key.
 */
export function useMentionCompletion(text: string, caret: number, onComplete: (c: { text: string; caret: number }) => void, topicId?: string) {
  const trpc = useTRPC();
  const listId = useId();
  const mention = mentionAt(text, caret);
  const [prefix, setPrefix] = useState<string | null>(null);
  const [active, setActive] = useState(0);
  const [dismissedAt, setDismissedAt] = useState<number | null>(null);

  const wanted = mention?.prefix ?? null;
  useEffect(() => {
    const timer = setTimeout(() => setPrefix(wanted), 150);
    return () => clearTimeout(timer);
  }, [wanted]);
  useEffect(() => setActive(0), [prefix]);

  const query = useQuery(trpc.forumConversation.mentionSuggest.queryOptions({ prefix: prefix ?? "", ...(topicId ? { topicId } : {}) }, { enabled: prefix !== null, staleTime: 30_000 }));
  const suggestions = mention && prefix === wanted && dismissedAt !== mention.start ? (query.data ?? []) : [];
  const open = suggestions.length > 0;
  const optionId = (i: number) => `${listId}-option-${i}`;

  function choose(username: string) {
    if (!mention) return;
    onComplete(completeMention(text, caret, mention.start, username));
  }

  function onKeyDown(event: React.KeyboardEvent): boolean {
    if (!open) return false;
    const n = suggestions.length;
    if (event.key === "ArrowDown") setActive((a) => (a + 1) % n);
    else if (event.key === "ArrowUp") setActive((a) => (a - 1 + n) % n);
    else if (event.key === "Enter" || event.key === "Tab") choose(suggestions[Math.min(active, n - 1)]!.username);
    else if (event.key === "Escape") setDismissedAt(mention?.start ?? null);
    else return false;
    event.preventDefault();
    return true;
  }

  const inputProps = {
    "aria-autocomplete": "list" as const,
    "aria-controls": open ? listId : undefined,
    "aria-activedescendant": open ? optionId(Math.min(active, suggestions.length - 1)) : undefined,
  };

  const list = open ? (
    <ul id={listId} role="listbox" aria-label="Members" className={styles.suggestions} data-testid="mention-suggestions">
      {suggestions.map((s, i) => (
        <li
          key={s.username}
          id={optionId(i)}
          role="option"
          aria-selected={i === active}
          className={i === active ? styles.suggestionActive : undefined}
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => choose(s.username)}
        >
          @{s.username}
          {s.name !== s.username ? <span className={styles.count}> {s.name}</span> : null}
        </li>
      ))}
    </ul>
  ) : null;

  return { list, onKeyDown, inputProps };
}
