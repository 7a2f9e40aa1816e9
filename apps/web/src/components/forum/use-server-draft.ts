"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { useTRPCClient } from "~/trpc/react";

/** Autosave waits this long after the last keystroke. */
export const DRAFT_DEBOUNCE_MS = 1500;

export interface ServerDraft {
  title: string;
  body: string;
  replyToNumber: number | null;
  sequence: number;
  updatedAt: Date | string;
}

export type DraftStatus =
  | { kind: "idle" }
  | { kind: "restored"; at: Date }
  | { kind: "saving" }
  | { kind: "saved"; at: Date }
  /** another device or tab saved, sent or discarded this draft: theirs is kept until the reader chooses */
  | { kind: "stale"; theirs: ServerDraft | null }
  | { kind: "error"; message: string };

interface Options {
  /** ForumDraft key: "topic:<id>", "new-topic", "new-topic:<category>"; null turns drafts off */
  draftKey: string | null;
  title: string;
  body: string;
  replyToNumber: number | null;
  /** the composer takes the draft's text (on load, or when the reader picks the newer copy) */
  onRestore: (draft: ServerDraft) => void;
}

function conflictDraft(error: unknown): { stale: true; theirs: ServerDraft | null } | null {
  const data = (error as { data?: { code?: string; details?: { draft?: ServerDraft | null } | null } }).data;
  return data?.code === "CONFLICT" ? { stale: true, theirs: data.details?.draft ?? null } : null;
}

/**
 * A composer's draft kept on the server: loaded when the composer opens (restored when the composer is empty),
 * saved a moment after typing stops, discarded when emptied. Each save names the sequence it last saw; a refusal
 * means another device moved on, and the reader chooses between their text and the newer copy.
 */
export function useServerDraft({ draftKey, title, body, replyToNumber, onRestore }: Options) {
  const client = useTRPCClient();
  const [status, setStatus] = useState<DraftStatus>({ kind: "idle" });
  const [loaded, setLoaded] = useState(false);
  const sequence = useRef(0);
  /** what the server holds (or held when last seen), so unchanged text is not saved again */
  const saved = useRef({ title: "", body: "", replyToNumber: null as number | null });
  const restore = useRef(onRestore);
  restore.current = onRestore;
  const latest = useRef({ title, body, replyToNumber });
  latest.current = { title, body, replyToNumber };

  useEffect(() => {
    if (!draftKey) return;
    let cancelled = false;
    setLoaded(false);
    sequence.current = 0;
    void client.forumConversation.draft.query({ key: draftKey }).then(
      (draft) => {
        if (cancelled) return;
        if (draft) {
          sequence.current = draft.sequence;
          saved.current = { title: draft.title, body: draft.body, replyToNumber: draft.replyToNumber };
          if (!latest.current.body.trim() && !latest.current.title.trim()) {
            restore.current(draft);
            setStatus({ kind: "restored", at: new Date(draft.updatedAt) });
          }
        }
        setLoaded(true);
      },
      () => !cancelled && setLoaded(true),
    );
    return () => {
      cancelled = true;
    };
  }, [client, draftKey]);

  const save = useCallback(async () => {
    if (!draftKey) return;
    const now = latest.current;
    const same = now.body === saved.current.body && now.title === saved.current.title && now.replyToNumber === saved.current.replyToNumber;
    if (same) return;
    setStatus({ kind: "saving" });
    try {
      if (!now.body.trim() && !now.title.trim()) {
        if (sequence.current > 0) await client.forumConversation.deleteDraft.mutate({ key: draftKey, sequence: sequence.current });
        sequence.current = 0;
        saved.current = { ...now };
        setStatus({ kind: "idle" });
        return;
      }
      const r = await client.forumConversation.saveDraft.mutate({ key: draftKey, title: now.title, body: now.body, replyToNumber: now.replyToNumber, sequence: sequence.current });
      sequence.current = r.sequence;
      saved.current = { ...now };
      setStatus({ kind: "saved", at: new Date(r.updatedAt) });
    } catch (error) {
      const conflict = conflictDraft(error);
      setStatus(conflict ? { kind: "stale", theirs: conflict.theirs } : { kind: "error", message: (error as Error).message });
    }
  }, [client, draftKey]);

  // Autosave once typing stops (not while a stale copy waits for the reader's choice).
  useEffect(() => {
    if (!draftKey || !loaded || status.kind === "stale") return;
    const timer = setTimeout(() => void save(), DRAFT_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [draftKey, loaded, title, body, replyToNumber, save, status.kind]);

  return {
    status,
    /** take the newer copy another device saved */
    useTheirs: () => {
      if (status.kind !== "stale") return;
      const theirs = status.theirs;
      sequence.current = theirs?.sequence ?? 0;
      if (theirs) {
        saved.current = { title: theirs.title, body: theirs.body, replyToNumber: theirs.replyToNumber };
        restore.current(theirs);
      }
      setStatus({ kind: "idle" });
    },
    /** keep this text: it is saved over the newer copy */
    keepMine: () => {
      if (status.kind !== "stale") return;
      sequence.current = status.theirs?.sequence ?? 0;
      saved.current = { title: "", body: "", replyToNumber: null };
      setStatus({ kind: "idle" });
    },
    /** the post was sent: the server dropped the draft with it */
    sent: () => {
      sequence.current = 0;
      saved.current = { title: "", body: "", replyToNumber: null };
      setStatus({ kind: "idle" });
    },
    /** the reader discards the draft */
    discard: async () => {
      if (!draftKey) return;
      await client.forumConversation.deleteDraft.mutate({ key: draftKey }).catch(() => undefined);
      sequence.current = 0;
      saved.current = { title: "", body: "", replyToNumber: null };
      setStatus({ kind: "idle" });
    },
  };
}
