"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import type { TopicView } from "~/server/forum/read";
import { useTRPC } from "~/trpc/react";
import styles from "./forum.module.css";

type State = "pinned" | "closed" | "archived" | "unlisted";
const LABELS: Record<State, [on: string, off: string]> = {
  pinned: ["Pin", "Unpin"],
  closed: ["Close", "Reopen"],
  archived: ["Archive", "Unarchive"],
  unlisted: ["Unlist", "List"],
};

/**
 * The topic's own tools: its author or a moderator retitles it; moderators pin, close, archive, unlist, move, delete
 * and restore it (each checked again on the server and logged). Each action reloads the page, which shows the result.
 */
export function TopicTools({ topic, categories }: { topic: TopicView; categories: Array<{ slug: string; name: string }> }) {
  const trpc = useTRPC();
  const [editingTitle, setEditingTitle] = useState(false);
  const [title, setTitle] = useState(topic.title);
  const [category, setCategory] = useState(topic.category.slug);
  const update = useMutation(trpc.forum.updateTopic.mutationOptions());
  const setState = useMutation(trpc.forum.setState.mutationOptions());
  const del = useMutation(trpc.forum.deleteTopic.mutationOptions());
  const restore = useMutation(trpc.forum.restoreTopic.mutationOptions());
  const error = update.error ?? setState.error ?? del.error ?? restore.error;
  const reloadTo = (url: string) => window.location.assign(url);

  if (!topic.can.editTitle && !topic.can.moderate) return null;
  return (
    <div className="stack" data-testid="topic-tools">
      {error ? (
        <p className="alert error" role="alert">
          {error.message}
        </p>
      ) : null}
      {editingTitle ? (
        <form
          className={styles.toolbar}
          onSubmit={(e) => {
            e.preventDefault();
            void update.mutateAsync({ id: topic.id, title }).then((t) => reloadTo(t.url), () => undefined);
          }}
        >
          <input aria-label="Title" type="text" value={title} onChange={(e) => setTitle(e.target.value)} maxLength={200} style={{ flex: "1 1 16rem" }} />
          <button type="submit" className="button" disabled={update.isPending}>
            Save title
          </button>
          <button type="button" className="button secondary" onClick={() => setEditingTitle(false)}>
            Cancel
          </button>
        </form>
      ) : null}
      <div className={styles.actions}>
        {topic.can.editTitle && !editingTitle ? (
          <button type="button" onClick={() => setEditingTitle(true)}>
            Edit title
          </button>
        ) : null}
        {topic.can.moderate
          ? (Object.keys(LABELS) as State[]).map((state) => {
              const on = topic[state];
              return (
                <button
                  key={state}
                  type="button"
                  disabled={setState.isPending}
                  onClick={() => void setState.mutateAsync({ id: topic.id, state, on: !on }).then(() => reloadTo(topic.url), () => undefined)}
                >
                  {LABELS[state][on ? 1 : 0]}
                </button>
              );
            })
          : null}
        {topic.can.moderate ? (
          topic.deleted ? (
            <button type="button" onClick={() => void restore.mutateAsync({ id: topic.id }).then(() => reloadTo(topic.url), () => undefined)}>
              Restore topic
            </button>
          ) : (
            <button type="button" onClick={() => window.confirm("Delete this topic?") && void del.mutateAsync({ id: topic.id }).then(() => reloadTo(topic.category.url), () => undefined)}>
              Delete topic
            </button>
          )
        ) : null}
        {topic.can.moderate ? (
          <span className={styles.toolbar}>
            <label htmlFor="topic-move" className={styles.muted} style={{ margin: 0 }}>
              Move to
            </label>
            <select id="topic-move" value={category} onChange={(e) => setCategory(e.target.value)} style={{ width: "auto", maxWidth: "12rem" }}>
              {categories.map((c) => (
                <option key={c.slug} value={c.slug}>
                  {c.name}
                </option>
              ))}
            </select>
            <button type="button" disabled={category === topic.category.slug} onClick={() => void update.mutateAsync({ id: topic.id, category }).then((t) => reloadTo(t.url), () => undefined)}>
              Move
            </button>
          </span>
        ) : null}
      </div>
    </div>
  );
}

/** The topic's states as small labels beside its title or in lists. */
export function TopicStates({ states }: { states: { pinned: boolean; closed: boolean; archived: boolean; unlisted: boolean; deleted?: boolean; solved?: boolean } }) {
  const on = (Object.entries(states) as Array<[string, boolean | undefined]>).filter(([, v]) => v).map(([k]) => k);
  if (on.length === 0) return null;
  return (
    <span className={styles.states}>
      {on.map((s) => (
        <span key={s} className={styles.state} data-state={s}>
          {s}
        </span>
      ))}
    </span>
  );
}
