"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "~/trpc/react";
import { SyntaxHint } from "./forum-composer";

/** The "Discuss" tab of a wiki page nobody has discussed yet: the first post, which creates the page's topic. */
export function WikiDiscussComposer({ title }: { title: string }) {
  const trpc = useTRPC();
  const [text, setText] = useState("");
  const start = useMutation(trpc.forum.discussWikiPage.mutationOptions());
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        start.mutate({ title, body: text }, { onSuccess: (post) => window.location.assign(post.url) });
      }}
    >
      <label htmlFor="wiki-discuss-body">Start the discussion of this page</label>
      <textarea id="wiki-discuss-body" data-testid="wiki-discuss-body" rows={6} value={text} onChange={(e) => setText(e.target.value)} style={{ width: "100%" }} />
      <SyntaxHint />
      {start.error ? <p role="alert">{start.error.message}</p> : null}
      <button type="submit" className="button" disabled={start.isPending || !text.trim()}>
        {start.isPending ? "Posting…" : "Post"}
      </button>
    </form>
  );
}
