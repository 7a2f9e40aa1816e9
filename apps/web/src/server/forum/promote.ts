import type { PrismaClient } from "@course/db";
import { hasRole } from "../auth/roles";
import { DomainError } from "../errors";
import { viewPage } from "../wiki/read";
import { savePage } from "../wiki/pages";
import { wikiPath } from "../wiki/titles";
import { postPath } from "./paths";
import type { ForumActor } from "./permissions";

/** A merge can still conflict when someone appends at the same moment; the append is retried on the newer text. */
const ATTEMPTS = 3;

type LessonNotes = { slug: string; notesFile: string };

/**
 * "Add to lesson notes": a post of a lesson's category appended to that lesson's notes page (`notes_file`) through the
 * wiki's save path, so it is a revision like any other (summary "From forum post #N by @name"), merged over edits
 * saved meanwhile, and attributed with a link back to the post. Graders and admins may promote any post, members
 * their own (the notes page's protection still applies).
 */
export async function promotePostToNotes(prisma: PrismaClient, input: { postId: string; actor: ForumActor; lessons: readonly LessonNotes[] }) {
  const post = await prisma.forumPost.findUnique({
    where: { id: input.postId },
    select: {
      number: true,
      authorId: true,
      deletedAt: true,
      hiddenAt: true,
      author: { select: { username: true, name: true } },
      raw: true,
      topic: { select: { id: true, slug: true, deletedAt: true, category: { select: { lessonSlug: true } } } },
    },
  });
  if (!post || post.deletedAt || post.topic.deletedAt) throw new DomainError("NOT_FOUND", "There is no such post.");
  if (!hasRole(input.actor.role, "grader") && post.authorId !== input.actor.id) {
    throw new DomainError("FORBIDDEN", "Only graders, admins and the post's author may add it to the lesson notes.");
  }
  if (post.hiddenAt) throw new DomainError("BAD_REQUEST", "A hidden post cannot be added to the notes.");
  const lesson = input.lessons.find((l) => l.slug === post.topic.category.lessonSlug);
  if (!lesson) throw new DomainError("BAD_REQUEST", "Only posts in a lesson's category can be added to its notes.");
  const text = post.raw.trim();
  if (!text) throw new DomainError("BAD_REQUEST", "The post has no text.");

  const name = post.author?.username ?? post.author?.name ?? "someone";
  const link = postPath(post.topic, post.number);
  const summary = `From forum post #${post.number} by @${name}`;
  const block = `*From [forum post #${post.number}](${link}) by @${name}:*\n\n${text}\n`;
  const author = { id: input.actor.id, name: input.actor.name, role: input.actor.role };
  for (let attempt = 1; ; attempt++) {
    const page = await viewPage(prisma, lesson.notesFile, { id: input.actor.id, role: input.actor.role });
    const current = page.exists ? page.body.replace(/\s+$/, "") : "";
    const body = current ? `${current}\n\n${block}` : block;
    const result = await savePage(prisma, { title: lesson.notesFile, body, summary, baseRevision: page.exists ? page.number : 0, author, watch: false });
    if (result.status !== "conflict") return { title: result.title, key: result.key, number: result.number, url: wikiPath(result.key) };
    if (attempt >= ATTEMPTS) throw new DomainError("CONFLICT", "The notes page kept changing; try again.");
  }
}
