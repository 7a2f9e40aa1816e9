"use client";

import { useMutation } from "@tanstack/react-query";
import type { PostView, TopicView } from "~/server/forum/read";
import { useTRPC } from "~/trpc/react";
import { useConversation } from "./conversation-context";

/**
 * "Add to lesson notes" on a post of a lesson's category, for moderators (graders, admins) and the post's author; the
 * server checks the same and appends it to the lesson's notes page as a wiki revision.
 */
export function PromoteToNotes({ post, topic }: { post: PostView; topic: TopicView }) {
  const trpc = useTRPC();
  const context = useConversation();
  const promote = useMutation(trpc.forum.promoteToNotes.mutationOptions());
  const own = context?.viewerId != null && post.author.id === context.viewerId;
  if (!topic.category.lessonSlug || post.kind !== "regular" || post.deleted || post.hidden || !(topic.can.moderate || own)) return null;
  if (promote.data) {
    return (
      <a href={promote.data.url} data-testid="promoted">
        Added to the notes (revision {promote.data.number})
      </a>
    );
  }
  return (
    <>
      <button type="button" className="button secondary" data-testid="promote-to-notes" disabled={promote.isPending} onClick={() => promote.mutate({ postId: post.id })}>
        Add to lesson notes
      </button>
      {promote.error ? <span role="alert">{promote.error.message}</span> : null}
    </>
  );
}
