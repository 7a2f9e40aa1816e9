"use client";

import { useId, useState } from "react";
import { useTRPCClient } from "~/trpc/react";
import styles from "./conversation.module.css";

type Level = "watching" | "tracking" | "normal" | "muted";

const LEVELS: Array<{ level: Level; label: string; topic: string; category: string }> = [
  { level: "watching", label: "Watching", topic: "You are notified of every new post.", category: "You are notified of every new topic and post." },
  { level: "tracking", label: "Tracking", topic: "Unread posts are counted; you are notified when mentioned or answered.", category: "Unread posts of its topics are counted." },
  { level: "normal", label: "Normal", topic: "You are notified when mentioned or answered.", category: "You are notified when mentioned or answered." },
  { level: "muted", label: "Muted", topic: "You are never notified, not even of mentions.", category: "Its topics never notify you and are not counted as new." },
];

const REASONS: Record<string, string> = {
  created: "because you started this topic",
  replied: "because you replied in it",
  category: "because of your level for its category",
  user: "as you chose",
};

/** The watching menu of a topic (topicId) or a category (category slug): Discourse's four levels. */
export function WatchLevel({ target, initial, reason = "" }: { target: { topicId: string } | { category: string }; initial: Level; reason?: string }) {
  const client = useTRPCClient();
  const id = useId();
  const [level, setLevel] = useState<Level>(initial);
  const [why, setWhy] = useState(reason);
  const [error, setError] = useState<string | null>(null);
  const kind = "topicId" in target ? "topic" : "category";

  async function change(next: Level) {
    setError(null);
    const before = level;
    setLevel(next);
    try {
      if ("topicId" in target) await client.forumConversation.setTopicLevel.mutate({ topicId: target.topicId, level: next });
      else await client.forumConversation.setCategoryLevel.mutate({ category: target.category, level: next });
      setWhy("user");
    } catch (e) {
      setLevel(before);
      setError((e as Error).message);
    }
  }

  const spec = LEVELS.find((l) => l.level === level)!;
  return (
    <div className={styles.watch} data-testid={`watch-level-${kind}`}>
      <label htmlFor={id}>Notifications</label>
      <select id={id} value={level} onChange={(e) => void change(e.target.value as Level)}>
        {LEVELS.map((l) => (
          <option key={l.level} value={l.level}>
            {l.label}
          </option>
        ))}
      </select>
      <span className={styles.count}>
        {kind === "topic" ? spec.topic : spec.category}
        {why && REASONS[why] ? ` (${REASONS[why]})` : ""}
      </span>
      {error ? (
        <span className={styles.error} role="alert">
          {error}
        </span>
      ) : null}
    </div>
  );
}
