/**
 * The keys of forum composer drafts (ForumDraft.key), shared by the server (server/forum/drafts.ts checks them) and
 * the composer: a new topic (in a category), a reply in a topic, or an edit of a post.
 */
export const draftKey = {
  newTopic: (categorySlug?: string) => (categorySlug ? `new-topic:${categorySlug}` : "new-topic"),
  reply: (topicId: string) => `topic:${topicId}`,
  edit: (postId: string) => `edit:${postId}`,
};
