import { Document, LineCounter, parseDocument, Scalar, YAMLMap, YAMLSeq } from "yaml";
import { yamlLineOf } from "./yaml-position";
import { z } from "zod";
import { type Chapter, validateChapters } from "./chapters";
import type { ContentProblem } from "./errors";
import { formatTime, parseClock } from "./time";

/** Validated, normalized front matter of a lesson (field names in camelCase). */
export interface LessonFrontMatter {
  /** Lesson number as taught (0 for the setup lesson). Unique. */
  lesson: number;
  title: string;
  /** Position in the course; defaults to `lesson`. Unique. */
  order: number;
  /**
   * The 11-character YouTube id of the lesson's own video; null for a lesson without one (a reading-only lesson
   * shows no player, no chapters and no duration rather than borrowing another lesson's video).
   */
  youtubeId: string | null;
  /** Wiki page name of the lesson's wiki (e.g. `Lesson_1`). */
  wikiFile: string;
  /** Wiki page name of the lesson's notes (e.g. `Lesson_1_Notes`). */
  notesFile: string;
  /** Slug of the lesson's forum thread (e.g. `lesson-1-discussion`). */
  forumThread: string;
  /** One-paragraph plain-text summary shown in lesson lists and meta descriptions. */
  synopsis: string;
  /** Video length in seconds, when known. */
  duration: number | null;
  chapters: Chapter[];
}

const YOUTUBE_ID = /^[A-Za-z0-9_-]{11}$/;
/** Wiki page names: letters, digits, `_` and `-`, starting with a letter or digit (`Lesson_1_Notes`). */
export const WIKI_PAGE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;
/** Lowercase kebab-case slugs (lesson file names, forum threads). */
export const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

function show(value: unknown): string {
  if (value === undefined) return "nothing";
  if (typeof value === "string") return JSON.stringify(value);
  if (value === null) return "null (empty value)";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  // YAML scalars left: numbers and booleans.
  return typeof value === "number" || typeof value === "boolean" ? String(value) : typeof value;
}

function text(expected: string, pattern?: RegExp, patternExpected?: string) {
  let schema = z.string({ error: (iss) => (iss.input === undefined ? `is required (${expected})` : `expected ${expected}, got ${show(iss.input)}`) }).trim();
  schema = schema.min(1, { error: `expected ${expected}, got an empty string` });
  if (pattern) schema = schema.regex(pattern, { error: (iss) => `expected ${patternExpected ?? expected}, got ${show(iss.input)}` });
  return schema;
}

function integer(expected: string) {
  return z.int({ error: (iss) => (iss.input === undefined ? `is required (${expected})` : `expected ${expected}, got ${show(iss.input)}`) }).nonnegative({ error: (iss) => `expected ${expected}, got ${show(iss.input)}` });
}

/** A time in front matter: seconds (`83`) or a clock string (`"1:23"`, `"1:02:03"`). */
const timeValue = z.unknown().transform((value, ctx): number => {
  if (typeof value === "number" && Number.isFinite(value) && value >= 0) return value;
  if (typeof value === "string") {
    const clock = parseClock(value.trim());
    if (clock.ok) return clock.seconds;
  }
  ctx.addIssue({ code: "custom", message: value === undefined ? "is required (seconds or a time like \"1:23\")" : `expected seconds or a time like "1:23", got ${show(value)}` });
  return z.NEVER;
});

const chapterSchema = z.strictObject(
  {
    start: timeValue,
    title: text("a non-empty chapter title"),
  },
  {
    error: (iss) =>
      iss.code === "unrecognized_keys"
        ? `unknown key ${iss.keys.map((k) => JSON.stringify(k)).join(", ")} (a chapter has only start and title)`
        : `expected a chapter like { start: "1:23", title: Teaching }, got ${show(iss.input)}`,
  },
);

const frontMatterSchema = z.object({
  lesson: integer("a lesson number (a whole number, 0 or more)"),
  title: text("a non-empty title"),
  order: integer("an order (a whole number, 0 or more)").optional(),
  youtube_id: text("an 11-character YouTube id", YOUTUBE_ID).optional(),
  wiki_file: text("a wiki page name like \"Lesson_1\"", WIKI_PAGE_NAME, "a wiki page name like \"Lesson_1\" (letters, digits, _ and -)"),
  notes_file: text("a wiki page name like \"Lesson_1_Notes\"", WIKI_PAGE_NAME, "a wiki page name like \"Lesson_1_Notes\" (letters, digits, _ and -)"),
  forum_thread: text("a forum thread slug like \"lesson-1-discussion\"", SLUG, "a forum thread slug like \"lesson-1-discussion\" (lowercase letters, digits and single dashes)"),
  synopsis: text("a one-paragraph synopsis").max(1000, { error: "synopsis is too long (at most 1000 characters)" }),
  duration: timeValue.optional().refine((v) => v === undefined || v > 0, { error: "expected a positive duration in seconds" }),
  chapters: z.array(chapterSchema, { error: (iss) => `expected a list of chapters, got ${show(iss.input)}` }).optional(),
});

const KNOWN_FIELDS = new Set(Object.keys(frontMatterSchema.shape));
const DERIVED_FIELDS: Record<string, string> = {
  slug: "the slug comes from the file name; remove this field",
  prev: "prev/next are derived from the lesson order; remove this field",
  next: "prev/next are derived from the lesson order; remove this field",
  prev_url: "prev/next are derived from the lesson order; remove this field",
  next_url: "prev/next are derived from the lesson order; remove this field",
};

/** Where the front matter and the body are in a lesson file. */
export interface SplitSource {
  yaml: string;
  /** 1-based file line of the first YAML line. */
  yamlLine: number;
  /** The file with the front matter block replaced by blank lines, so MDX positions are file positions. */
  bodyWithBlankFrontMatter: string;
  body: string;
}

/** Splits `---\n<yaml>\n---\n<body>`; `null` when the file does not start with a front matter block. */
export function splitFrontMatter(source: string): SplitSource | null {
  const lines = source.replace(/^\uFEFF/, "").split(/\r?\n/);
  if ((lines[0] ?? "").trimEnd() !== "---") return null;
  const close = lines.findIndex((l, i) => i > 0 && /^(?:---|\.\.\.)\s*$/.test(l));
  if (close < 0) return null;
  const body = lines.slice(close + 1).join("\n");
  return {
    yaml: lines.slice(1, close).join("\n"),
    yamlLine: 2,
    body,
    bodyWithBlankFrontMatter: "\n".repeat(close + 1) + body,
  };
}


export type FrontMatterResult = { ok: true; frontMatter: LessonFrontMatter } | { ok: false; problems: ContentProblem[] };

/**
 * Parses and validates a lesson file's front matter. Every problem names the file, the field and
 * the line, and says what was expected: `lesson-1.mdx: front matter field "youtube_id": expected an
 * 11-character YouTube id, got "abc" (line 4)`.
 */
export function parseLessonFrontMatter(source: string, displayPath: string): FrontMatterResult {
  const split = splitFrontMatter(source);
  if (!split) {
    return { ok: false, problems: [{ file: displayPath, line: 1, message: "missing front matter: the file must start with a \"---\" line, the YAML fields, and a closing \"---\" line" }] };
  }
  const counter = new LineCounter();
  const doc = parseDocument(split.yaml, { lineCounter: counter, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => ({ file: displayPath, line: counter.linePos(e.pos[0]).line + split.yamlLine - 1, message: `front matter is not valid YAML: ${e.message.split("\n")[0] ?? e.code}` })),
    };
  }
  const data: unknown = doc.toJS();
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    return { ok: false, problems: [{ file: displayPath, line: split.yamlLine, message: "front matter must be a YAML mapping of fields" }] };
  }
  const problems: ContentProblem[] = [];
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    if (KNOWN_FIELDS.has(key)) fields[key] = value;
    else {
      problems.push({
        file: displayPath,
        field: key,
        line: yamlLineOf(doc, counter, [key], split.yamlLine),
        message: DERIVED_FIELDS[key] ?? `unknown field (known fields: ${[...KNOWN_FIELDS].join(", ")})`,
      });
    }
  }
  const parsed = frontMatterSchema.safeParse(fields);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push({ file: displayPath, field: issue.path.map(String).join("."), line: yamlLineOf(doc, counter, issue.path, split.yamlLine), message: issue.message });
    }
    return { ok: false, problems };
  }
  const fm = parsed.data;
  const frontMatter: LessonFrontMatter = {
    lesson: fm.lesson,
    title: fm.title,
    order: fm.order ?? fm.lesson,
    youtubeId: fm.youtube_id ?? null,
    wikiFile: fm.wiki_file,
    notesFile: fm.notes_file,
    forumThread: fm.forum_thread,
    synopsis: fm.synopsis.replace(/\s+/g, " "),
    duration: fm.duration ?? null,
    chapters: fm.chapters ?? [],
  };
  // Chapters and a duration describe a video: without youtube_id they would promise one the lesson does not have.
  if (frontMatter.youtubeId === null) {
    for (const key of ["chapters", "duration"] as const) {
      if (fm[key] !== undefined) {
        problems.push({ file: displayPath, field: key, line: yamlLineOf(doc, counter, [key], split.yamlLine), message: `${key} describe${key === "chapters" ? "" : "s"} the lesson's video, but the lesson has no youtube_id; remove ${key} or add the lesson's own video` });
      }
    }
  }
  for (const issue of validateChapters(frontMatter.chapters, { duration: frontMatter.duration ?? undefined })) {
    const path = ["chapters", issue.index, issue.part];
    problems.push({ file: displayPath, field: path.join("."), line: yamlLineOf(doc, counter, path, split.yamlLine), message: issue.message });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, frontMatter };
}

function chaptersNode(chapters: readonly Chapter[]) {
  const seq = new YAMLSeq();
  for (const chapter of chapters) {
    const map = new YAMLMap();
    map.flow = true;
    const start = new Scalar(formatTime(chapter.start));
    start.type = Scalar.QUOTE_DOUBLE;
    map.set("start", start);
    map.set("title", chapter.title);
    seq.items.push(map);
  }
  return seq;
}

/** Writes front matter (snake_case fields, chapters as a list of `{ start: "m:ss", title }`). */
export function stringifyFrontMatter(fm: LessonFrontMatter): string {
  const doc = new Document({
    lesson: fm.lesson,
    title: fm.title,
    order: fm.order,
    ...(fm.youtubeId !== null ? { youtube_id: fm.youtubeId } : {}),
    wiki_file: fm.wikiFile,
    notes_file: fm.notesFile,
    forum_thread: fm.forumThread,
    ...(fm.duration !== null ? { duration: fm.duration } : {}),
    synopsis: fm.synopsis,
  });
  doc.set("chapters", chaptersNode(fm.chapters));
  return `---\n${doc.toString({ lineWidth: 100 })}---\n`;
}

/**
 * Replaces the `chapters` list in a lesson file's front matter, keeping every other field, comment
 * and the body as they are. Throws when the file has no front matter block.
 */
export function replaceChapters(source: string, chapters: readonly Chapter[]): string {
  const split = splitFrontMatter(source);
  if (!split) throw new Error("the lesson file has no front matter block");
  const doc = parseDocument(split.yaml);
  doc.set("chapters", chaptersNode(chapters));
  return `---\n${doc.toString({ lineWidth: 100 })}---\n${split.body}`;
}
