"use client";

import { useState } from "react";
import { formatUtc } from "~/lib/format";
import { useTRPCClient } from "~/trpc/react";
import styles from "./conversation.module.css";

interface Bookmark {
  postId: string;
  note: string;
  createdAt: string;
  topic: string;
  postNumber: number;
  author: string;
  url: string;
  excerpt: string;
}

/** /account/bookmarks: each bookmark with its post's start, a note to edit, and a Remove button. */
export function BookmarkList({ initial }: { initial: Bookmark[] }) {
  const client = useTRPCClient();
  const [bookmarks, setBookmarks] = useState(initial);
  const [error, setError] = useState<string | null>(null);

  async function saveNote(postId: string, note: string) {
    setError(null);
    try {
      const r = await client.forumConversation.bookmark.mutate({ postId, note });
      setBookmarks((all) => all.map((b) => (b.postId === postId ? { ...b, note: r.note } : b)));
    } catch (e) {
      setError((e as Error).message);
    }
  }
  async function remove(postId: string) {
    setError(null);
    try {
      await client.forumConversation.removeBookmark.mutate({ postId });
      setBookmarks((all) => all.filter((b) => b.postId !== postId));
    } catch (e) {
      setError((e as Error).message);
    }
  }

  if (bookmarks.length === 0) return <p className={styles.count}>No bookmarks yet.</p>;
  return (
    <>
      {error ? (
        <p className="alert error" role="alert">
          {error}
        </p>
      ) : null}
      <ul className={styles.bookmarks} data-testid="bookmark-list">
        {bookmarks.map((b) => (
          <BookmarkItem key={b.postId} bookmark={b} onSave={(note) => void saveNote(b.postId, note)} onRemove={() => void remove(b.postId)} />
        ))}
      </ul>
    </>
  );
}

function BookmarkItem({ bookmark: b, onSave, onRemove }: { bookmark: Bookmark; onSave: (note: string) => void; onRemove: () => void }) {
  const [note, setNote] = useState(b.note);
  return (
    <li data-testid="bookmark">
      <a href={b.url}>
        <strong>{b.topic}</strong> · post #{b.postNumber}
      </a>{" "}
      <span className={styles.count}>
        by {b.author} · bookmarked {formatUtc(new Date(b.createdAt))}
      </span>
      <p className={styles.count}>{b.excerpt}</p>
      <form
        className={styles.noteForm}
        onSubmit={(e) => {
          e.preventDefault();
          onSave(note);
        }}
      >
        <input type="text" aria-label={`Note for post #${b.postNumber} of ${b.topic}`} placeholder="A note for yourself" value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} />
        <button type="submit" className="button secondary">
          Save note
        </button>
        <button type="button" className="button secondary" onClick={onRemove}>
          Remove
        </button>
      </form>
    </li>
  );
}
