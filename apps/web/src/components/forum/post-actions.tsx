"use client";

import { useEffect, useState } from "react";
import type { PostView } from "~/server/forum/read";
import { useTRPCClient } from "~/trpc/react";
import { useConversation, usePostState } from "./conversation-context";
import { quoteMarkdown } from "./conversation-text";
import styles from "./conversation.module.css";

/** The post's address, as quotes and notifications link to it. */
export const postUrl = (topicUrl: string, number: number) => `${topicUrl}?post=${number}#p${number}`;

/** The text the reader selected inside this post's body, if any. */
function selectionIn(postNumber: number): string {
  const selection = window.getSelection();
  if (!selection || selection.isCollapsed) return "";
  const body = document.querySelector(`#p${postNumber} [data-testid="post-body"]`);
  const node = selection.anchorNode;
  return body && node && body.contains(node) ? selection.toString() : "";
}

/**
 * A post's conversation actions: like (with its count), bookmark (with a note), quote into the reply, and mark or
 * unmark it as the topic's answer. Each is checked again on the server; a refusal (the daily like limit...) is shown.
 */
export function PostActions({ post, topicUrl }: { post: PostView; topicUrl: string }) {
  const context = useConversation();
  const client = useTRPCClient();
  const state = usePostState(post.id);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [noting, setNoting] = useState(false);
  const [note, setNote] = useState("");
  const registerPost = context?.registerPost;
  useEffect(() => registerPost?.(post.number, { username: post.author.username, name: post.author.name, url: postUrl(topicUrl, post.number) }), [registerPost, post.number, post.author.username, post.author.name, topicUrl]);
  if (!context || post.kind !== "regular") return null;
  const { signedIn, viewerId, conversation, setPostState } = context;
  const own = viewerId !== null && post.author.id === viewerId;
  const liked = state?.liked ?? false;
  const likeCount = state?.likeCount ?? post.likeCount;
  const isAnswer = conversation.answer?.postId === post.id;
  const gone = post.deleted || post.hidden;

  async function act(work: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  const toggleLike = () =>
    act(async () => {
      const r = liked ? await client.forumConversation.unlike.mutate({ postId: post.id }) : await client.forumConversation.like.mutate({ postId: post.id });
      setPostState(post.id, { liked: r.liked, likeCount: r.likeCount });
    });

  const bookmark = (withNote?: string) =>
    act(async () => {
      const r = await client.forumConversation.bookmark.mutate({ postId: post.id, ...(withNote !== undefined ? { note: withNote } : {}) });
      setPostState(post.id, { bookmark: r.note });
      setNoting(false);
    });
  const unbookmark = () =>
    act(async () => {
      await client.forumConversation.removeBookmark.mutate({ postId: post.id });
      setPostState(post.id, { bookmark: null });
      setNoting(false);
    });

  const solve = (on: boolean) =>
    act(async () => {
      if (on) await client.forumConversation.markSolved.mutate({ postId: post.id });
      else await client.forumConversation.unmarkSolved.mutate({ topicId: context.topicId });
      context.setConversation(await client.forumConversation.topic.query({ topicId: context.topicId }));
    });

  function quote() {
    const text = selectionIn(post.number) || document.querySelector<HTMLElement>(`#p${post.number} [data-testid="post-body"]`)?.innerText || "";
    if (!text.trim()) return;
    context?.insertIntoComposer(quoteMarkdown(text, { username: post.author.username, name: post.author.name, url: postUrl(topicUrl, post.number) }));
  }

  const likeLabel = likeCount === 1 ? "1 like" : `${likeCount} likes`;
  return (
    <span className={styles.postActions} data-testid="post-actions">
      {signedIn && !own && !gone ? (
        <button type="button" className={liked ? styles.on : undefined} aria-pressed={liked} onClick={() => void toggleLike()} disabled={busy} data-testid="like-button" title={liked ? "Unlike" : "Like this post"}>
          {liked ? "♥" : "♡"} {liked ? "Liked" : "Like"}
          {likeCount > 0 ? <span className={styles.count}> · {likeLabel}</span> : null}
        </button>
      ) : likeCount > 0 ? (
        <span className={styles.count} data-testid="like-count">
          ♥ {likeLabel}
        </span>
      ) : null}
      {signedIn && !gone ? (
        state?.bookmark != null ? (
          <button type="button" className={styles.on} aria-pressed onClick={() => { setNote(state.bookmark ?? ""); setNoting((v) => !v); }} disabled={busy} data-testid="bookmark-button" title={state.bookmark ? `Bookmarked: ${state.bookmark}` : "Bookmarked"}>
            Bookmarked
          </button>
        ) : (
          <button type="button" aria-pressed={false} onClick={() => void bookmark()} disabled={busy} data-testid="bookmark-button">
            Bookmark
          </button>
        )
      ) : null}
      {signedIn && !gone && context.canQuote ? (
        <button type="button" onClick={quote} data-testid="quote-post" title="Quote your selection (or the whole post) in your reply">
          Quote
        </button>
      ) : null}
      {conversation.solvable && post.number > 1 && !gone ? (
        conversation.canSolve ? (
          <button type="button" className={isAnswer ? styles.on : undefined} aria-pressed={isAnswer} onClick={() => void solve(!isAnswer)} disabled={busy} data-testid="solve-button">
            {isAnswer ? "✓ Answer (unmark)" : "Mark as answer"}
          </button>
        ) : isAnswer ? (
          <span className={styles.answerBadge}>✓ Answer</span>
        ) : null
      ) : null}
      {noting ? (
        <form
          className={styles.noteForm}
          onSubmit={(e) => {
            e.preventDefault();
            void bookmark(note);
          }}
        >
          <input type="text" aria-label="Bookmark note" placeholder="A note for yourself (optional)" value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} />
          <button type="submit" disabled={busy}>
            Save note
          </button>
          <button type="button" onClick={() => void unbookmark()} disabled={busy}>
            Remove bookmark
          </button>
        </form>
      ) : null}
      {error ? (
        <span className={styles.error} role="alert">
          {error}
        </span>
      ) : null}
    </span>
  );
}
