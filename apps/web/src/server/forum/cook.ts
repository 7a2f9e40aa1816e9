import type { Prisma, PrismaClient } from "@course/db";
import { renderMarkdown, type Found } from "@course/markdown";
import { getCourse } from "../content";
import { lessonResolver } from "../wiki/lessons";
import { htmlToText } from "../wiki/render";
import { isCategoryKey, keyOrNull, wikiPath } from "../wiki/titles";
import { userPath } from "./paths";
import { usersByUsername } from "./users";

type Db = PrismaClient | Prisma.TransactionClient;

export interface Cooked {
  /** sanitized HTML, stored on the post and served as is */
  html: string;
  /** the words, for search */
  plainText: string;
  /** what the text links to: mentions (resolved users), quotes, time links, wiki links */
  found: Found;
}

/**
 * Renders a post's markdown once, when it is written (Discourse's "cooking"), through the one pipeline with the
 * wiki's resolvers: `[[Title]]` links (red when the page does not exist), `@name` mentions of users who exist,
 * quotes, and video-time links (`[[Lesson 1@4:40]]` anywhere, `@4:40` in a lesson's category). Two passes: the
 * first finds the names the text uses (resolvers are synchronous), two queries say which exist, the second renders.
 */
export async function cookPost(db: Db, raw: string, options: { lessonSlug?: string | null } = {}): Promise<Cooked> {
  const lessons = await getCourse().then((c) => c.lessons, () => []);
  const lesson = lessonResolver(lessons);
  const currentLesson = options.lessonSlug && lessons.some((l) => l.slug === options.lessonSlug) ? options.lessonSlug : undefined;
  const scan = renderMarkdown(raw, {
    wikiPage: (title) => ({ url: wikiPath(title), exists: true }),
    user: (name) => ({ url: userPath(name) }),
    lesson,
    ...(currentLesson ? { currentLesson } : {}),
  }).found;
  const keys = [...new Set(scan.wikiLinks.map((l) => keyOrNull(l.title)).filter((k): k is string => k !== null && !isCategoryKey(k)))];
  const [pages, users] = await Promise.all([
    keys.length ? db.wikiPage.findMany({ where: { key: { in: keys }, deletedAt: null }, select: { key: true } }) : [],
    usersByUsername(db, scan.mentions.map((m) => m.username)),
  ]);
  const existing = new Set(pages.map((p) => p.key));
  const { html, found } = renderMarkdown(raw, {
    wikiPage: (title) => {
      const key = keyOrNull(title);
      if (!key) return undefined;
      if (isCategoryKey(key)) return { url: wikiPath(key), exists: true };
      const exists = existing.has(key);
      return { url: exists ? wikiPath(key) : `${wikiPath(key)}?action=edit`, exists };
    },
    user: (name) => {
      const user = users.get(name.toLowerCase());
      return user ? { url: userPath(user.username) } : undefined;
    },
    lesson,
    ...(currentLesson ? { currentLesson } : {}),
  });
  return { html, plainText: htmlToText(html), found };
}
