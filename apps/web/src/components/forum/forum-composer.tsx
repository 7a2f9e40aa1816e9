"use client";

import type { MergeRegion } from "@course/revisions";
import { useMutation } from "@tanstack/react-query";
import { useCallback, useId, useState } from "react";
import { MergeConflict } from "~/components/revisions";
import { MarkdownPreview, useLivePreview } from "~/components/wiki/markdown-preview";
import { draftKey } from "~/lib/forum-draft-keys";
import { useTRPC } from "~/trpc/react";
import { useComposerConversation } from "./composer-conversation";
import styles from "./forum.module.css";

export type ComposerMode =
  | { kind: "topic"; categories: Array<{ slug: string; name: string }>; category?: string }
  | { kind: "reply"; topicId: string; category: string; replyTo: number | null; onPosted: (post: { number: number; url: string }) => void; onCancel?: () => void; prefill?: string }
  | { kind: "edit"; postId: string; category: string; body: string; baseRevision: number; onSaved: () => void; onCancel: () => void };

/** Where the syntax is explained (README "Forum"), shown under every composer. */
export function SyntaxHint() {
  return (
    <p className="hint">
      Markdown as on GitHub. <code>@name</code> mentions a member, <code>[[Page title]]</code> links a wiki page,{" "}
      <code>[[Lesson 1@4:40]]</code> (or <code>@4:40</code> in a lesson&apos;s category) links a moment of a lesson video,{" "}
      <code>&gt; [!quote @name](/forum/t/…#p3)</code> quotes a post.
    </p>
  );
}

/**
 * The forum's composer: a new topic (title, category, first post), a reply (optionally to a post), or an edit of a
 * post from the revision it loaded (merged over edits saved meanwhile, or a conflict that keeps the text). The live
 * preview goes through the same pipeline as a saved post (the wiki editor's preview pieces).
 */
export function ForumComposer({ mode }: { mode: ComposerMode }) {
  const trpc = useTRPC();
  const ids = useId();
  const [text, setText] = useState(mode.kind === "edit" ? mode.body : mode.kind === "reply" ? (mode.prefill ?? "") : "");
  const [title, setTitle] = useState("");
  const [category, setCategory] = useState(mode.kind === "topic" ? (mode.category ?? mode.categories[0]?.slug ?? "") : mode.category);
  const [summary, setSummary] = useState("");
  const [base, setBase] = useState(mode.kind === "edit" ? mode.baseRevision : 0);
  const [conflict, setConflict] = useState<{ theirs: string; regions: MergeRegion[] } | null>(null);
  const preview = useMutation(trpc.forum.preview.mutationOptions());
  const createTopic = useMutation(trpc.forum.createTopic.mutationOptions());
  const reply = useMutation(trpc.forum.reply.mutationOptions());
  const edit = useMutation(trpc.forum.edit.mutationOptions());
  const conversation = useComposerConversation({
    draftKey: mode.kind === "reply" ? draftKey.reply(mode.topicId) : mode.kind === "topic" ? draftKey.newTopic(mode.category) : null,
    topicId: mode.kind === "reply" ? mode.topicId : undefined,
    text,
    setText,
    title,
    setTitle,
    replyToNumber: mode.kind === "reply" ? mode.replyTo : null,
  });
  const pending = createTopic.isPending || reply.isPending || edit.isPending;
  const error = createTopic.error ?? reply.error ?? edit.error;

  const { mutate: renderPreview } = preview;
  const previewHtml = useLivePreview(
    text,
    useCallback((body: string, done: (html: string) => void) => (body.trim() ? renderPreview({ body, category: category || undefined }, { onSuccess: (r) => done(r.html) }) : done("")), [renderPreview, category]),
  );

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    if (mode.kind === "topic") {
      const topic = await createTopic.mutateAsync({ category, title, body: text }).catch(() => null);
      if (topic) window.location.assign(topic.url);
    } else if (mode.kind === "reply") {
      const post = await reply.mutateAsync({ topicId: mode.topicId, body: text, ...(mode.replyTo ? { replyTo: mode.replyTo } : {}) }).catch(() => null);
      if (!post) return;
      setText("");
      conversation.sent();
      mode.onPosted(post);
    } else {
      const result = await edit.mutateAsync({ id: mode.postId, body: text, baseRevision: base, summary }).catch(() => null);
      if (!result) return;
      if (result.status === "conflict") {
        setConflict({ theirs: result.theirs, regions: result.regions });
        setBase(result.currentNumber);
        return;
      }
      mode.onSaved();
    }
  }

  const label = mode.kind === "topic" ? "Create topic" : mode.kind === "reply" ? (mode.replyTo ? `Reply to post ${mode.replyTo}` : "Reply") : conflict ? "Save my reconciled text" : "Save edit";
  return (
    <form className={styles.composer} onSubmit={submit} data-testid={`forum-composer-${mode.kind}`}>
      {mode.kind === "topic" ? (
        <>
          <label htmlFor={`${ids}-title`}>Title</label>
          <input id={`${ids}-title`} type="text" value={title} onChange={(e) => setTitle(e.target.value)} maxLength={200} required minLength={5} />
          <label htmlFor={`${ids}-category`}>Category</label>
          <select id={`${ids}-category`} value={category} onChange={(e) => setCategory(e.target.value)}>
            {mode.categories.map((c) => (
              <option key={c.slug} value={c.slug}>
                {c.name}
              </option>
            ))}
          </select>
        </>
      ) : null}
      {conflict ? (
        <section className="stack" data-testid="forum-conflict" aria-label="Edit conflict">
          <p className="alert error" role="alert">
            Someone saved this post while you were editing and your changes overlap theirs, so nothing was saved. Your text is
            kept below: reconcile it with the version saved meanwhile, then save again.
          </p>
          <MergeConflict regions={conflict.regions} />
        </section>
      ) : null}
      {error ? (
        <div className="alert error" role="alert">
          {error.message}
        </div>
      ) : null}
      <div className={styles.composerGrid}>
        <div className="stack">
          <label htmlFor={`${ids}-body`}>{mode.kind === "topic" ? "First post" : mode.kind === "reply" ? "Your reply" : "Text"} (markdown)</label>
          <textarea {...conversation.textareaProps} id={`${ids}-body`} value={text} onChange={(e) => setText(e.target.value)} required spellCheck />
          {conversation.suggestions}
        </div>
        <section aria-label="Preview">
          <strong>Preview</strong>
          <MarkdownPreview html={previewHtml} testId="forum-preview" className={styles.cooked} />
        </section>
      </div>
      {mode.kind === "edit" ? (
        <>
          <label htmlFor={`${ids}-summary`}>Reason for the edit (optional)</label>
          <input id={`${ids}-summary`} type="text" value={summary} onChange={(e) => setSummary(e.target.value)} maxLength={200} />
        </>
      ) : null}
      <div className={styles.toolbar}>
        <button type="submit" className="button" disabled={pending}>
          {pending ? "Saving…" : label}
        </button>
        {conversation.draftStatus}
        {mode.kind !== "topic" && mode.onCancel ? (
          <button type="button" className="button secondary" onClick={mode.onCancel}>
            Cancel
          </button>
        ) : null}
      </div>
      <SyntaxHint />
    </form>
  );
}
