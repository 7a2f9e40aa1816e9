"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { formatUtc } from "~/lib/format";
import { useConversation } from "./conversation-context";
import { insertBlock } from "./conversation-text";
import { useMentionCompletion } from "./mention-completion";
import { useServerDraft } from "./use-server-draft";
import styles from "./conversation.module.css";

interface Options {
  /** the draft's key ("topic:<id>", "new-topic", "new-topic:<category>"); null: no server draft (edits) */
  draftKey: string | null;
  /** a reply composer: quotes go into it, and `@` completion ranks the topic's participants first */
  topicId?: string;
  text: string;
  setText: (text: string) => void;
  title?: string;
  setTitle?: (title: string) => void;
  replyToNumber?: number | null;
}

/**
 * What the conversation adds to h5's composer: `@` completion on its textarea, the server draft (restored, autosaved,
 * a stale copy resolved), and, for a reply, a place the Quote buttons insert into.
 */
export function useComposerConversation({ draftKey, topicId, text, setText, title = "", setTitle, replyToNumber = null }: Options) {
  const textarea = useRef<HTMLTextAreaElement>(null);
  const [caret, setCaret] = useState(0);
  const context = useConversation();
  const pendingCaret = useRef<number | null>(null);

  const place = useCallback(
    (next: { text: string; caret: number }) => {
      pendingCaret.current = next.caret;
      setText(next.text);
      setCaret(next.caret);
    },
    [setText],
  );
  // Put the caret where a completion or an insertion ended, once the textarea shows the new text.
  useEffect(() => {
    const el = textarea.current;
    if (el && pendingCaret.current !== null) {
      el.focus();
      el.setSelectionRange(pendingCaret.current, pendingCaret.current);
      pendingCaret.current = null;
    }
  }, [text]);

  const completion = useMentionCompletion(text, caret, place, topicId);
  const draft = useServerDraft({
    draftKey,
    title,
    body: text,
    replyToNumber,
    onRestore: (d) => {
      setText(d.body);
      if (d.title && setTitle) setTitle(d.title);
    },
  });

  // A reply composer takes quotes while it is on the page.
  const registerComposer = context?.registerComposer;
  const textRef = useRef(text);
  textRef.current = text;
  useEffect(() => {
    if (!registerComposer || !topicId) return;
    registerComposer((markdown) => {
      const el = textarea.current;
      const at = el && document.activeElement === el ? el.selectionStart : textRef.current.length;
      place(insertBlock(textRef.current, at, markdown));
      el?.scrollIntoView({ block: "center" });
    });
    return () => registerComposer(null);
  }, [registerComposer, topicId, place]);

  const trackCaret = (e: React.SyntheticEvent<HTMLTextAreaElement>) => setCaret(e.currentTarget.selectionStart);
  const textareaProps = {
    ref: textarea,
    onKeyDown: (e: React.KeyboardEvent<HTMLTextAreaElement>) => void completion.onKeyDown(e),
    onSelect: trackCaret,
    onKeyUp: trackCaret,
    onClick: trackCaret,
    ...completion.inputProps,
  };

  const s = draft.status;
  const status = (
    <span className={styles.draftStatus} data-testid="draft-status" aria-live="polite">
      {s.kind === "saving" ? "Saving draft…" : null}
      {s.kind === "saved" ? `Draft saved ${formatUtc(s.at)}` : null}
      {s.kind === "restored" ? (
        <>
          Draft restored (saved {formatUtc(s.at)}).{" "}
          <button
            type="button"
            onClick={() => {
              void draft.discard();
              setText("");
              setTitle?.("");
            }}
          >
            Discard draft
          </button>
        </>
      ) : null}
      {s.kind === "error" ? <span className={styles.error}>Draft not saved: {s.message}</span> : null}
      {s.kind === "stale" ? (
        <span className={styles.error} role="alert">
          {s.theirs ? "This draft was changed on another device or tab." : "This draft was sent or discarded on another device or tab."}{" "}
          {s.theirs ? (
            <button type="button" onClick={draft.useTheirs}>
              Load the newer draft
            </button>
          ) : null}{" "}
          <button type="button" onClick={draft.keepMine}>
            Keep my text
          </button>
        </span>
      ) : null}
    </span>
  );

  return { textareaProps, suggestions: completion.list, draftStatus: draftKey ? status : null, sent: draft.sent };
}
