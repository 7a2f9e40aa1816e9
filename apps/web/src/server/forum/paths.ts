/** The forum's addresses, in one place (pages, search documents, notifications, quotes all link through these). */

/** A URL slug of a title: lower case words joined by dashes ("topic" when nothing is left). */
export function slugify(title: string): string {
  const slug = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80)
    .replace(/-+$/, "");
  return slug || "topic";
}

export const forumPath = "/forum";
export const categoryPath = (slug: string) => `/forum/c/${slug}`;
export const topicPath = (topic: { id: string; slug: string }) => `/forum/t/${topic.id}/${topic.slug}`;
/** A post: the topic page opened around it (`?post=`) and scrolled to its anchor (`#p<number>`). */
export const postPath = (topic: { id: string; slug: string }, number: number) => `${topicPath(topic)}?post=${number}#p${number}`;
export const postHistoryPath = (postId: string) => `/forum/posts/${postId}/history`;
export const userPath = (username: string) => `/forum/u/${encodeURIComponent(username)}`;
/** A lesson's discussion thread by its front matter name (`forum_thread`): redirects to the topic. */
export const lessonThreadPath = (forumThread: string) => `/forum/l/${forumThread}`;
