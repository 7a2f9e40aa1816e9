"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useState, type ReactNode } from "react";
import { FlagButton, HideButton } from "~/components/forum-moderation/flag-button";
import { formatUtc } from "~/lib/format";
import type { PostView } from "~/server/forum/read";
import { useTRPC, useTRPCClient } from "~/trpc/react";
import { ForumComposer } from "./forum-composer";
import styles from "./forum.module.css";

export interface ForumPostProps {
  post: PostView;
  topicUrl: string;
  category: string;
  /** the post the page was opened at */
  target?: boolean;
  canReply: boolean;
  onReply: (number: number) => void;
  /** the post changed (edited, deleted, restored): the stream reloads it */
  onChanged: (post: PostView) => void;
  /** extra actions other features add (likes, quotes, bookmarks...) */
  extraActions?: ReactNode;
}

/**
 * One post of a topic: who wrote it and when, what it answers, its text (cooked HTML, sanitized when it was saved),
 * and what the reader may do with it: reply, edit (through revisions), see its history, delete or restore. The
 * article's id is `p<number>`, the anchor every link to a post ends with.
 */
export function ForumPost({ post, topicUrl, category, target, canReply, onReply, onChanged, extraActions }: ForumPostProps) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const [editing, setEditing] = useState<{ body: string; baseRevision: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const remove = useMutation(trpc.forum.delete.mutationOptions());
  const restore = useMutation(trpc.forum.restore.mutationOptions());

  const reload = async () => {
    try {
      onChanged(await client.forum.post.query({ id: post.id }));
    } catch {
      // The post is gone for this reader (e.g. the topic was deleted): the page's own state stands until a reload.
      window.location.reload();
    }
  };

  async function startEdit() {
    setError(null);
    try {
      const loaded = await client.forum.forEdit.query({ id: post.id });
      setEditing({ body: loaded.body, baseRevision: loaded.baseRevision });
    } catch (e) {
      setError((e as Error).message);
    }
  }

  async function doDelete() {
    if (!window.confirm(post.number === 1 ? "Delete this whole topic?" : `Delete post ${post.number}?`)) return;
    const done = await remove.mutateAsync({ id: post.id }).catch((e: Error) => setError(e.message));
    if (done && done.deleted === "topic") window.location.reload();
    else if (done) await reload();
  }

  async function doRestore() {
    const done = await restore.mutateAsync({ id: post.id }).catch((e: Error) => setError(e.message));
    if (done && done.restored === "topic") window.location.reload();
    else if (done) await reload();
  }

  const hiddenText = post.cooked === "" && (post.deleted || post.hidden);
  return (
    <article id={`p${post.number}`} className={styles.post} data-target={target ? "true" : undefined} data-testid="forum-post" data-number={post.number} aria-label={`Post ${post.number} by ${post.author.name}`}>
      <header className={styles.postHead}>
        <span className={styles.author}>{post.author.username ? <Link href={`/forum/u/${encodeURIComponent(post.author.username)}`}>{post.author.name}</Link> : post.author.name}</span>
        <time dateTime={new Date(post.createdAt).toISOString()} className={styles.muted}>
          {formatUtc(post.createdAt)}
        </time>
        {post.replyToNumber ? (
          <a href={`${topicUrl}?post=${post.replyToNumber}#p${post.replyToNumber}`} className={styles.muted} data-testid="reply-to">
            in reply to #{post.replyToNumber}
          </a>
        ) : null}
        {post.version > 1 ? (
          <Link href={`/forum/posts/${post.id}/history`} className={styles.muted} data-testid="post-edited">
            edited{post.editedAt ? ` ${formatUtc(post.editedAt)}` : ""}
          </Link>
        ) : null}
        {post.wiki ? <span className={styles.wikiNote}>wiki post: members can edit it</span> : null}
        {post.deleted ? <span className={styles.state}>deleted</span> : null}
        {post.hidden ? <span className={styles.state}>hidden{post.hiddenReason ? `: ${post.hiddenReason}` : ""}</span> : null}
        <a href={`${topicUrl}?post=${post.number}#p${post.number}`} className={styles.postNumber} aria-label={`Link to post ${post.number}`}>
          #{post.number}
        </a>
      </header>
      {editing ? (
        <ForumComposer
          mode={{
            kind: "edit",
            postId: post.id,
            category,
            body: editing.body,
            baseRevision: editing.baseRevision,
            onCancel: () => setEditing(null),
            onSaved: () => {
              setEditing(null);
              void reload();
            },
          }}
        />
      ) : hiddenText ? (
        <p className={styles.stub}>{post.deleted ? "(this post was deleted)" : "(this post is hidden until a moderator reviews it)"}</p>
      ) : (
        <div className={styles.cooked} data-testid="post-body" dangerouslySetInnerHTML={{ __html: post.cooked }} />
      )}
      {error ? (
        <p className="alert error" role="alert">
          {error}
        </p>
      ) : null}
      {!editing ? (
        <div className={styles.actions}>
          {canReply && !post.deleted ? (
            <button type="button" onClick={() => onReply(post.number)}>
              Reply
            </button>
          ) : null}
          {post.can.edit && !post.deleted ? (
            <button type="button" onClick={() => void startEdit()}>
              Edit
            </button>
          ) : null}
          {!hiddenText ? <Link href={`/forum/posts/${post.id}/history`}>History</Link> : null}
          {post.can.delete ? (
            <button type="button" onClick={() => void doDelete()} disabled={remove.isPending}>
              Delete
            </button>
          ) : null}
          {post.can.restore ? (
            <button type="button" onClick={() => void doRestore()} disabled={restore.isPending}>
              Restore
            </button>
          ) : null}
          {post.can.flag ? <FlagButton postId={post.id} postNumber={post.number} onHidden={() => void reload()} /> : null}
          {post.can.hide ? <HideButton postId={post.id} postNumber={post.number} hidden={post.hidden} onChanged={() => void reload()} /> : null}
          {post.replyCount > 0 ? <span className={styles.muted}>{post.replyCount === 1 ? "1 reply" : `${post.replyCount} replies`}</span> : null}
          {extraActions}
        </div>
      ) : null}
    </article>
  );
}
