import { readFile } from "node:fs/promises";
import path from "node:path";
import { LineCounter, parseDocument } from "yaml";
import { z } from "zod";
import { ContentError, type ContentProblem } from "./errors";
import { SLUG } from "./frontmatter";
import { yamlLineOf } from "./yaml-position";

/** Where the forum's categories are defined under the content root. */
export const FORUM_CATEGORIES_FILE = path.join("forum", "categories.yaml");

/** A forum category as the content defines it: the file's own, and one per lesson made from the lessons. */
export interface ForumCategoryDef {
  slug: string;
  name: string;
  description: string;
  /** order on /forum, 0 first */
  position: number;
  /** CSS colour of its badge ("" for the default) */
  color: string;
  /** topics may have a solved answer */
  solvable: boolean;
  /** the lesson it belongs to (its `forum_thread` topic lives here), null for the others */
  lessonSlug: string | null;
}

const COLOR = /^#[0-9a-fA-F]{6}$/;

const categorySchema = z.strictObject({
  slug: z.string().regex(SLUG, "expected a kebab-case slug like `homework-help`"),
  name: z.string().trim().min(1, "expected a non-empty name").max(100),
  description: z.string().trim().max(1000).default(""),
  color: z.string().regex(COLOR, "expected a colour like #3b82f6").optional(),
  solvable: z.boolean().default(true),
});

// The string `lessons` marks where the lessons' categories go among the others (after them when absent).
const fileSchema = z.strictObject({
  categories: z.array(z.union([z.literal("lessons"), categorySchema])).min(1, "expected at least one category"),
  lesson_color: z.string().regex(COLOR, "expected a colour like #3b82f6").optional(),
});

interface LessonForCategory {
  slug: string;
  lesson: number;
  title: string;
  synopsis: string;
}

function display(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith("..") || path.isAbsolute(relative) ? file : relative;
}

/**
 * The forum's categories: those of `categories.yaml` (its source, shown as `displayPath` in problems) with one
 * category per lesson (slug = the lesson's slug) where the file says `lessons`. Throws a ContentError listing every
 * problem: YAML, unknown fields, duplicate slugs, a slug that is also a lesson's.
 */
export function parseForumCategories(source: string | null, lessons: readonly LessonForCategory[], displayPath = FORUM_CATEGORIES_FILE): ForumCategoryDef[] {
  let data: unknown = { categories: ["lessons"] };
  const counter = new LineCounter();
  const doc = source === null ? null : parseDocument(source, { lineCounter: counter, uniqueKeys: true, prettyErrors: false });
  if (doc) {
    if (doc.errors.length > 0) {
      throw new ContentError(doc.errors.map((e) => ({ file: displayPath, line: counter.linePos(e.pos[0]).line, message: `not valid YAML: ${e.message.split("\n")[0] ?? e.code}` })));
    }
    data = doc.toJS();
  }
  const parsed = fileSchema.safeParse(data);
  if (!parsed.success) {
    throw new ContentError(
      parsed.error.issues.map((issue) => {
        const unknownKeys = issue.code === "unrecognized_keys" ? issue.keys : [];
        const keys = unknownKeys.length > 0 ? [...issue.path, unknownKeys[0]!] : issue.path;
        return {
          file: displayPath,
          field: keys.map(String).join(".") || "(file)",
          ...(doc ? { line: yamlLineOf(doc, counter, keys) } : {}),
          message: unknownKeys.length > 0 ? `unknown field${unknownKeys.length > 1 ? "s" : ""} ${unknownKeys.join(", ")}` : issue.message,
        };
      }),
    );
  }
  const entries = parsed.data.categories.includes("lessons") ? parsed.data.categories : [...parsed.data.categories, "lessons" as const];
  const lessonSlugs = new Set(lessons.map((l) => l.slug));
  const problems: ContentProblem[] = [];
  const seen = new Set<string>();
  const out: ForumCategoryDef[] = [];
  entries.forEach((entry, i) => {
    if (entry === "lessons") {
      if (out.some((c) => c.lessonSlug !== null)) {
        problems.push({ file: displayPath, field: `categories.${i}`, message: "`lessons` may appear only once" });
        return;
      }
      for (const l of lessons) {
        out.push({
          slug: l.slug,
          name: `Lesson ${l.lesson}: ${l.title}`,
          description: l.synopsis.replace(/\s+/g, " ").trim(),
          position: out.length,
          color: parsed.data.lesson_color ?? "",
          solvable: true,
          lessonSlug: l.slug,
        });
      }
      return;
    }
    const where = { file: displayPath, field: `categories.${i}.slug`, ...(doc ? { line: yamlLineOf(doc, counter, ["categories", i, "slug"]) } : {}) };
    if (lessonSlugs.has(entry.slug)) problems.push({ ...where, message: `"${entry.slug}" is a lesson's slug, which names that lesson's category` });
    else if (seen.has(entry.slug)) problems.push({ ...where, message: `duplicate category slug "${entry.slug}"` });
    seen.add(entry.slug);
    out.push({ slug: entry.slug, name: entry.name, description: entry.description.replace(/\s+/g, " "), position: out.length, color: entry.color ?? "", solvable: entry.solvable, lessonSlug: null });
  });
  if (problems.length > 0) throw new ContentError(problems);
  return out.map((c, position) => ({ ...c, position }));
}

/** Reads `<contentDir>/forum/categories.yaml` (a missing file means: the lessons' categories only). */
export async function loadForumCategories(contentDir: string, lessons: readonly LessonForCategory[]): Promise<ForumCategoryDef[]> {
  const file = path.join(path.resolve(contentDir), FORUM_CATEGORIES_FILE);
  let source: string | null;
  try {
    source = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    source = null;
  }
  return parseForumCategories(source, lessons, display(file));
}
