"use client";

import type { MergeRegion } from "@course/revisions";
import { useMutation } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { MergeConflict } from "~/components/revisions";
import { useTRPC } from "~/trpc/react";
import { ImageUpload } from "./image-upload";
import { MarkdownPreview, useLivePreview } from "./markdown-preview";
import { useTitleCompletion, type Completion } from "./title-completion";
import styles from "./wiki.module.css";

interface Props {
  title: string;
  pageKey: string;
  path: string;
  baseRevision: number;
  body: string;
  exists: boolean;
}

interface Conflict {
  theirs: string;
  regions: MergeRegion[];
}

const draftKey = (key: string) => `wiki-draft:${key}`;

/**
 * The page editor: the text, a summary and the minor flag, and the revision it started from (sent back with the
 * save, so edits saved meanwhile are merged, or come back as a conflict with this text kept). Drafts are kept in
 * localStorage; leaving with unsaved changes asks first. The preview renders through the same pipeline as the page.
 */
export function WikiEditor({ title, pageKey, path, baseRevision: initialBase, body: initialBody, exists }: Props) {
  const trpc = useTRPC();
  const [text, setText] = useState(initialBody);
  const [base, setBase] = useState(initialBase);
  const [summary, setSummary] = useState("");
  const [minor, setMinor] = useState(false);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [restored, setRestored] = useState(false);
  const saving = useRef(false);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const [caret, setCaret] = useState(0);
  // Where the caret goes once a completion or an inserted image is in the text.
  const pendingCaret = useRef<number | null>(null);
  const save = useMutation(trpc.wiki.save.mutationOptions());
  const preview = useMutation(trpc.wiki.preview.mutationOptions());
  const dirty = text !== initialBody || conflict !== null;

  // A draft left from an earlier visit (same starting revision or not: a stale base is merged on save like any other).
  useEffect(() => {
    try {
      const saved = JSON.parse(localStorage.getItem(draftKey(pageKey)) ?? "null") as { body: string; base: number } | null;
      if (saved && typeof saved.body === "string" && saved.body !== initialBody) {
        setText(saved.body);
        setBase(typeof saved.base === "number" ? saved.base : initialBase);
        setRestored(true);
      }
    } catch {
      /* an unreadable draft is ignored */
    }
  }, [pageKey, initialBody, initialBase]);

  useEffect(() => {
    if (text === initialBody) localStorage.removeItem(draftKey(pageKey));
    else localStorage.setItem(draftKey(pageKey), JSON.stringify({ body: text, base }));
  }, [text, base, pageKey, initialBody]);

  useEffect(() => {
    const warn = (event: BeforeUnloadEvent) => {
      if (dirty && !saving.current) event.preventDefault();
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);

  const { mutate: renderPreview } = preview;
  const previewHtml = useLivePreview(text, useCallback((body: string, done: (html: string) => void) => renderPreview({ body, title }, { onSuccess: (r) => done(r.html) }), [renderPreview, title]));

  useEffect(() => {
    const at = pendingCaret.current;
    if (at === null || !textarea.current) return;
    pendingCaret.current = null;
    textarea.current.focus();
    textarea.current.setSelectionRange(at, at);
    setCaret(at);
  }, [text]);

  function replaceText(next: Completion) {
    pendingCaret.current = next.caret;
    setText(next.text);
  }
  const completion = useTitleCompletion(text, caret, replaceText);

  function insertImage(markdown: string) {
    const at = Math.min(caret, text.length);
    replaceText({ text: text.slice(0, at) + markdown + text.slice(at), caret: at + markdown.length });
  }

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const result = await save.mutateAsync({ title, body: text, summary, minor, baseRevision: base }).catch(() => null);
    if (!result) return;
    if (result.status === "conflict") {
      setConflict({ theirs: result.theirs, regions: result.regions });
      setBase(result.currentNumber);
      return;
    }
    saving.current = true;
    localStorage.removeItem(draftKey(pageKey));
    const note = result.status === "saved" && result.merged ? "?merged=1" : "";
    window.location.assign(`${path}${note}`);
  }

  return (
    <form className={`stack ${styles.editor}`} onSubmit={submit} data-testid="wiki-editor">
      {restored ? (
        <p className={styles.note} role="status">
          Your unsaved draft of this page was restored.{" "}
          <button type="button" onClick={() => { setText(initialBody); setBase(initialBase); setRestored(false); }}>
            Discard it
          </button>
        </p>
      ) : null}
      {conflict ? (
        <section className="stack" data-testid="wiki-conflict" aria-labelledby="conflict-heading">
          <h2 id="conflict-heading">Edit conflict</h2>
          <p className={styles.note} role="alert">
            Someone saved this page while you were editing, and your changes overlap theirs, so nothing was saved. Your text
            is kept in the box below. Reconcile it with the version saved meanwhile (shown here), then save again.
          </p>
          <MergeConflict regions={conflict.regions} />
          <label className="stack">
            <span>The version saved meanwhile (revision {base})</span>
            <textarea readOnly value={conflict.theirs} rows={8} data-testid="wiki-conflict-theirs" />
          </label>
        </section>
      ) : null}
      {save.error ? (
        <div className="alert error" role="alert">
          {save.error.message}
        </div>
      ) : null}
      <input type="hidden" name="baseRevision" value={base} />
      <div className={styles.editorGrid}>
        <div className="stack">
          <label className="stack">
            <span>{exists ? "Text" : "Text of the new page"} (markdown, <a href="#syntax">syntax</a>)</span>
            <textarea
              ref={textarea}
              name="body"
              value={text}
              onChange={(e) => {
                setText(e.target.value);
                setCaret(e.target.selectionStart);
              }}
              onSelect={(e) => setCaret(e.currentTarget.selectionStart)}
              onKeyDown={(e) => completion.onKeyDown(e)}
              aria-label="Page text"
              spellCheck
              {...completion.inputProps}
            />
          </label>
          {completion.list}
          <ImageUpload pageKey={pageKey} onInsert={insertImage} />
        </div>
        <section aria-label="Preview">
          <strong>Preview</strong>
          <MarkdownPreview html={previewHtml} testId="wiki-preview" />
        </section>
      </div>
      <label className="stack">
        <span>Summary of your change</span>
        <input name="summary" value={summary} maxLength={200} onChange={(e) => setSummary(e.target.value)} />
      </label>
      <label>
        <input type="checkbox" checked={minor} onChange={(e) => setMinor(e.target.checked)} /> This is a minor edit
      </label>
      <div className={styles.actions}>
        <button type="submit" className="button" disabled={save.isPending}>
          {save.isPending ? "Saving…" : conflict ? "Save my reconciled text" : "Save page"}
        </button>
        <a href={path}>Cancel</a>
      </div>
      <p id="syntax" className="hint">
        Markdown as on GitHub; <code>[[Page title]]</code> or <code>[[Page title|text]]</code> links a page (red when it does not
        exist yet), <code>[[Category:Name]]</code> puts the page in a category, <code>#REDIRECT [[Other page]]</code> as the
        first line makes it a redirect, <code>[[Lesson 1@4:40]]</code> links a moment of a lesson video.
      </p>
    </form>
  );
}
