"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useId, useState } from "react";
import { useTRPC } from "~/trpc/react";
import { openLinkAt } from "./editor-text";
import styles from "./wiki.module.css";

export interface Completion {
  /** the text with `[[Title]]` completed */
  text: string;
  /** the caret after it */
  caret: number;
}

interface Suggestion {
  title: string;
  key: string;
  redirectTo: string | null;
}

/**
 * `[[` title completion for a textarea: the listbox below it and the keys that drive it. `onKeyDown` returns true
 * when it handled the key (the caller then does nothing else with it).
 */
export function useTitleCompletion(text: string, caret: number, onComplete: (c: Completion) => void) {
  const trpc = useTRPC();
  const listId = useId();
  const link = openLinkAt(text, caret);
  const [prefix, setPrefix] = useState("");
  const [active, setActive] = useState(0);
  const [dismissedAt, setDismissedAt] = useState<number | null>(null);

  // Ask a moment after typing stops, not at every key.
  const wanted = link?.prefix ?? "";
  useEffect(() => {
    const timer = setTimeout(() => setPrefix(wanted), 200);
    return () => clearTimeout(timer);
  }, [wanted]);
  useEffect(() => setActive(0), [prefix]);

  const query = useQuery(trpc.wiki.suggest.queryOptions({ prefix }, { enabled: prefix.trim().length > 0, staleTime: 30_000 }));
  const suggestions: Suggestion[] = link && prefix === wanted && dismissedAt !== link.start ? (query.data ?? []) : [];
  const open = suggestions.length > 0;
  const optionId = (i: number) => `${listId}-option-${i}`;

  function choose(s: Suggestion) {
    if (!link) return;
    const after = text.slice(caret);
    const close = after.startsWith("]]") ? "" : "]]";
    const inserted = `${s.title}${close}`;
    onComplete({ text: text.slice(0, link.start) + inserted + after, caret: link.start + inserted.length + (close ? 0 : 2) });
  }

  function onKeyDown(event: React.KeyboardEvent): boolean {
    if (!open) return false;
    const n = suggestions.length;
    if (event.key === "ArrowDown") setActive((a) => (a + 1) % n);
    else if (event.key === "ArrowUp") setActive((a) => (a - 1 + n) % n);
    else if (event.key === "Enter" || event.key === "Tab") choose(suggestions[Math.min(active, n - 1)]!);
    else if (event.key === "Escape") setDismissedAt(link?.start ?? null);
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
    <ul id={listId} role="listbox" aria-label="Page titles" className={styles.suggestions} data-testid="wiki-title-suggestions">
      {suggestions.map((s, i) => (
        <li
          key={s.key}
          id={optionId(i)}
          role="option"
          aria-selected={i === active}
          className={i === active ? styles.suggestionActive : undefined}
          // mousedown would move focus out of the textarea and lose the caret
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => choose(s)}
        >
          {s.title}
          {s.redirectTo ? <span className="hint"> (redirect to {s.redirectTo})</span> : null}
        </li>
      ))}
    </ul>
  ) : null;

  return { list, onKeyDown, inputProps };
}
