"use client";

import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import type { TopicConversation } from "~/server/forum/viewer-state";
import { useTRPCClient } from "~/trpc/react";

/** The reader's own state of one post: their like and bookmark, and the count after their last change. */
export interface PostState {
  liked: boolean;
  /** the bookmark's note, or null when the post is not bookmarked */
  bookmark: string | null;
  /** the like count as the server last answered it (else the post's own) */
  likeCount?: number;
  /** the reader has flagged this post (a member flags a post once) */
  flagged?: boolean;
}

/** What a quote of a post needs: who wrote it and where it is. */
export interface QuotedPost {
  username: string | null;
  name: string;
  url: string;
}

interface ConversationValue {
  topicId: string;
  signedIn: boolean;
  viewerId: string | null;
  conversation: TopicConversation;
  setConversation: (next: TopicConversation) => void;
  /** the reader's likes and bookmarks of the posts asked for so far */
  states: Record<string, PostState>;
  /** asks for a post's state (batched with the other posts shown at the same time) */
  register: (postId: string) => void;
  setPostState: (postId: string, change: Partial<PostState>) => void;
  /** the reply composer puts its `insert` here while it is open, so a quote can go into it */
  registerComposer: (insert: ((markdown: string) => void) | null) => void;
  /** inserts into the open reply composer; false when there is none */
  insertIntoComposer: (markdown: string) => boolean;
  /** a reply composer is open (quotes have somewhere to go) */
  canQuote: boolean;
  /** each post shown says who wrote it, for the selection's Quote button */
  registerPost: (number: number, post: QuotedPost) => void;
  postByNumber: (number: number) => QuotedPost | undefined;
}

const Context = createContext<ConversationValue | null>(null);

/** The topic page's conversation state, for PostActions, the quote button, the composer and the read tracker. */
export function useConversation(): ConversationValue | null {
  return useContext(Context);
}

const CHUNK = 100;

/**
 * Holds what a topic page knows about its reader beside the posts: the topic's answer and the reader's level (from the
 * server render), and the reader's likes and bookmarks of the posts shown, asked for in batches as posts appear.
 */
export function ConversationProvider({
  topicId,
  viewerId,
  initial,
  children,
}: {
  topicId: string;
  viewerId: string | null;
  initial: TopicConversation;
  children: ReactNode;
}) {
  const signedIn = viewerId !== null;
  const client = useTRPCClient();
  const [conversation, setConversation] = useState(initial);
  // A fresh server render (router.refresh after a live "solved" or a resync) brings a new `initial`: it is the
  // newest word on the answer and the reader's level, so it replaces what this page held.
  const [rendered, setRendered] = useState(initial);
  if (rendered !== initial) {
    setRendered(initial);
    setConversation(initial);
  }
  const [states, setStates] = useState<Record<string, PostState>>({});
  const wanted = useRef(new Set<string>());
  const asked = useRef(new Set<string>());
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const composer = useRef<((markdown: string) => void) | null>(null);
  const [canQuote, setCanQuote] = useState(false);
  const posts = useRef(new Map<number, QuotedPost>());

  const flush = useCallback(() => {
    timer.current = null;
    const ids = [...wanted.current].filter((id) => !asked.current.has(id));
    wanted.current.clear();
    for (let i = 0; i < ids.length; i += CHUNK) {
      const chunk = ids.slice(i, i + CHUNK);
      for (const id of chunk) asked.current.add(id);
      void client.forumConversation.postStates.query({ postIds: chunk }).then(
        (r) =>
          setStates((current) => {
            const next = { ...current };
            for (const id of chunk) if (!next[id]) next[id] = { liked: r.liked.includes(id), bookmark: r.bookmarks[id] ?? null, flagged: r.flagged.includes(id) };
            return next;
          }),
        () => {
          for (const id of chunk) asked.current.delete(id);
        },
      );
    }
  }, [client]);

  const register = useCallback(
    (postId: string) => {
      if (!signedIn || asked.current.has(postId)) return;
      wanted.current.add(postId);
      timer.current ??= setTimeout(flush, 30);
    },
    [signedIn, flush],
  );
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  const value = useMemo<ConversationValue>(
    () => ({
      topicId,
      signedIn,
      viewerId,
      conversation,
      setConversation,
      states,
      register,
      setPostState: (postId, change) => setStates((current) => ({ ...current, [postId]: { liked: false, bookmark: null, ...current[postId], ...change } })),
      registerComposer: (insert) => {
        composer.current = insert;
        setCanQuote(insert !== null);
      },
      insertIntoComposer: (markdown) => {
        if (!composer.current) return false;
        composer.current(markdown);
        return true;
      },
      canQuote,
      registerPost: (number, post) => {
        posts.current.set(number, post);
      },
      postByNumber: (number) => posts.current.get(number),
    }),
    [topicId, signedIn, viewerId, conversation, states, register, canQuote],
  );
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

/** The reader's like and bookmark of a post: undefined until loaded (and for anonymous readers). */
export function usePostState(postId: string): PostState | undefined {
  const context = useContext(Context);
  const register = context?.register;
  useEffect(() => register?.(postId), [register, postId]);
  return context?.states[postId];
}
