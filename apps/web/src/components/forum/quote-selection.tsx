"use client";

import { useEffect, useState } from "react";
import { useConversation } from "./conversation-context";
import { quoteMarkdown } from "./conversation-text";
import styles from "./conversation.module.css";

interface Selected {
  text: string;
  number: number;
  top: number;
  left: number;
}

/** The post body (and its number) a DOM node is inside, if any. */
function postBodyOf(node: Node | null): { number: number } | null {
  const element = node instanceof Element ? node : node?.parentElement;
  const body = element?.closest('[data-testid="post-body"]');
  const article = body?.closest("article[data-number]");
  const number = Number(article?.getAttribute("data-number"));
  return body && Number.isInteger(number) && number > 0 ? { number } : null;
}

/**
 * Discourse's quote button: selecting text inside one post shows "Quote" beside the selection; it puts the selection
 * into the reply composer as an attributed quote that links back to the post.
 */
export function QuoteSelection() {
  const context = useConversation();
  const [selected, setSelected] = useState<Selected | null>(null);
  const enabled = context?.canQuote ?? false;

  useEffect(() => {
    if (!enabled) return;
    const update = () => {
      const selection = window.getSelection();
      if (!selection || selection.isCollapsed || selection.rangeCount === 0) return setSelected(null);
      const start = postBodyOf(selection.anchorNode);
      const end = postBodyOf(selection.focusNode);
      const text = selection.toString();
      if (!start || !end || start.number !== end.number || !text.trim()) return setSelected(null);
      const rect = selection.getRangeAt(0).getBoundingClientRect();
      setSelected({ text, number: start.number, top: rect.bottom + window.scrollY + 6, left: Math.max(8, rect.left + window.scrollX) });
    };
    // After the mouse or keys finish a selection (not at every change while dragging).
    const later = () => setTimeout(update, 0);
    document.addEventListener("mouseup", later);
    document.addEventListener("keyup", later);
    document.addEventListener("touchend", later);
    return () => {
      document.removeEventListener("mouseup", later);
      document.removeEventListener("keyup", later);
      document.removeEventListener("touchend", later);
    };
  }, [enabled]);

  if (!enabled || !selected || !context) return null;
  const post = context.postByNumber(selected.number);
  if (!post) return null;
  return (
    <button
      type="button"
      className={`button ${styles.quoteButton}`}
      style={{ top: selected.top, left: selected.left }}
      data-testid="quote-selection"
      // mousedown would clear the selection before the click
      onMouseDown={(e) => e.preventDefault()}
      onClick={() => {
        context.insertIntoComposer(quoteMarkdown(selected.text, post));
        window.getSelection()?.removeAllRanges();
        setSelected(null);
      }}
    >
      Quote
    </button>
  );
}
