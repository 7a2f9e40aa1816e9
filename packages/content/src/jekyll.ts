import { decode } from "html-entities";
import { parse as parseYaml } from "yaml";
import { ContentError, type ContentProblem } from "./errors";
import { type LessonFrontMatter, parseLessonFrontMatter, SLUG, splitFrontMatter, stringifyFrontMatter } from "./frontmatter";
import { checkMdxPolicy } from "./mdx-policy";

export interface JekyllImportOptions {
  /** Name used in error messages. */
  source?: string;
  /** Course position; defaults to the lesson number. */
  order?: number;
  /** Output slug; defaults to `lesson-<number>`. */
  slug?: string;
  /** Synopsis; defaults to the first paragraph of the page's "Synopsis" section (or of the page). */
  synopsis?: string;
  /** Video duration in seconds. */
  duration?: number;
}

export interface JekyllImportResult {
  slug: string;
  frontMatter: LessonFrontMatter;
  /** The complete `.mdx` file. */
  mdx: string;
  /** Things the importer changed or dropped that a person may want to look at. */
  warnings: string[];
}

/** Fields of a Jekyll lesson page that the importer maps or deliberately drops. */
const MAPPED = new Set(["lesson", "title", "youtube_id", "wiki_file", "notes_file", "forum_thread", "duration", "order"]);
const DROPPED: Record<string, string> = {
  layout: "layout is decided by the web app",
  prev_url: "prev/next are derived from the lesson order",
  next_url: "prev/next are derived from the lesson order",
};

/** `1&mdash;Recognizing cats and dogs` -> `{ number: 1, title: "Recognizing cats and dogs" }`. */
export function splitLessonHeading(value: string): { number: number; title: string } | null {
  const match = /^\s*(?:lesson\s+)?(\d+)\s*(?:[\u2014\u2013:.-]|\s-\s)\s*(.+?)\s*$/i.exec(decode(value, { level: "html5" }));
  if (!match) return null;
  return { number: Number(match[1]), title: match[2] ?? "" };
}

function markdownToPlainText(markdown: string): string {
  return decode(
    markdown
      .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
      .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
      .replace(/`([^`]*)`/g, "$1")
      .replace(/(\*\*|__)(.+?)\1/g, "$2")
      .replace(/([*_])(.+?)\1/g, "$2")
      .replace(/<[^>]+>/g, ""),
    { level: "html5" },
  )
    .replace(/\s+/g, " ")
    .trim();
}

function paragraphs(markdown: string): string[] {
  return markdown
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p !== "" && !p.startsWith("#") && !p.startsWith("```"));
}

/** The first paragraph under a "Synopsis" heading, else the first paragraph, as plain text (<= 1000 chars). */
export function extractSynopsis(markdown: string): string | null {
  const heading = /^#{1,6}\s*(?:synopsis|summary|overview)\s*#*\s*$/im.exec(markdown);
  const section = heading ? markdown.slice(heading.index + heading[0].length) : markdown;
  const first = paragraphs(section)[0] ?? paragraphs(markdown)[0];
  if (first === undefined) return null;
  let text = markdownToPlainText(first);
  if (text.length > 1000) {
    const cut = text.slice(0, 997);
    const sentence = cut.lastIndexOf(". ");
    text = sentence > 200 ? cut.slice(0, sentence + 1) : `${cut}...`;
  }
  return text === "" ? null : text;
}

/**
 * Escapes one line of Markdown text (outside code) so that MDX reads it as text: decodes HTML
 * entities, turns `<https://...>` autolinks (unsupported in MDX) into links, keeps `<br>` as
 * `<br />`, and escapes every other `<`, `{` and `}`.
 */
function escapeTextSegment(segment: string, note: (what: string) => void): string {
  let text = decode(segment, { level: "html5" });
  text = text.replace(/<((?:https?|mailto):[^\s<>]+)>/gi, (_m, url: string) => `[${url}](${url})`);
  if (/[<{}]/.test(text.replace(/<br\s*\/?>/gi, ""))) {
    if (text.replace(/<br\s*\/?>/gi, "").includes("<")) note("raw HTML or \"<\" escaped (shown as text)");
    if (/[{}]/.test(text)) note("braces escaped (Liquid tags and JSX expressions are shown as text)");
  }
  return text
    .split(/<br\s*\/?>/i)
    .map((piece) => piece.replace(/[<{}]/g, (c) => `\\${c}`))
    .join("<br />");
}

function escapeInline(line: string, note: (what: string) => void): string {
  // Leave code spans untouched: in MDX, braces and angle brackets inside them are literal.
  const parts = line.split(/(`+[^`]*`+)/);
  return parts.map((part, i) => (i % 2 === 1 ? part : escapeTextSegment(part, note))).join("");
}

/**
 * Converts Jekyll/GitHub Markdown to MDX that compiles and renders the same text: fenced code is
 * kept, indented code becomes fenced code (MDX has no indented code), HTML comments are dropped and
 * text is escaped (see `escapeTextSegment`). Returns the body and what it changed.
 */
export function markdownToMdx(markdown: string): { body: string; changes: string[] } {
  const changes = new Set<string>();
  const note = (what: string) => changes.add(what);
  let input = markdown.replace(/\r\n?/g, "\n");
  if (/<!--[\s\S]*?-->/.test(input)) {
    note("HTML comments dropped");
    input = input.replace(/<!--[\s\S]*?-->/g, "");
  }
  const lines = input.split("\n");
  const out: string[] = [];
  let fence: string | null = null;
  let lastNonBlank = "";
  let lastWasBlank = true;
  const indented = (l: string) => /^(?: {4}|\t)/.test(l);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (fence !== null) {
      out.push(line);
      if (line.trim().startsWith(fence)) fence = null;
      continue;
    }
    const open = /^\s*(`{3,}|~{3,})/.exec(line);
    if (open) {
      fence = open[1] ?? "```";
      out.push(line);
      lastNonBlank = line;
      lastWasBlank = false;
      continue;
    }
    // Indented lines after a list item are list content, not code.
    const inList = /^\s*(?:[-*+]|\d+[.)])\s/.test(lastNonBlank) || /^\s{2,}/.test(lastNonBlank);
    if (indented(line) && line.trim() !== "" && lastWasBlank && !inList) {
      const block: string[] = [];
      while (i < lines.length && (indented(lines[i] ?? "") || (lines[i] ?? "").trim() === "")) {
        block.push((lines[i] ?? "").replace(/^(?: {4}|\t)/, ""));
        i++;
      }
      i--;
      while (block.length > 0 && block.at(-1)?.trim() === "") block.pop();
      out.push("```", ...block, "```", "");
      note("indented code converted to fenced code");
      lastNonBlank = "";
      lastWasBlank = true;
      continue;
    }
    out.push(escapeInline(line, note));
    lastWasBlank = line.trim() === "";
    if (!lastWasBlank) lastNonBlank = line;
  }
  return { body: out.join("\n").replace(/\n{3,}/g, "\n\n").trim() + "\n", changes: [...changes] };
}

/**
 * Turns a Jekyll lesson page (front matter `lesson: 1&mdash;Title`, `youtube_id`, `wiki_file`,
 * `notes_file`, `forum_thread`, `prev_url`, `next_url`, Markdown body) into a lesson `.mdx` file.
 * The result is validated like any lesson (front matter schema and MDX policy); problems throw a
 * {@link ContentError} naming the field.
 */
export function convertJekyllLesson(page: string, options: JekyllImportOptions = {}): JekyllImportResult {
  const source = options.source ?? "lesson page";
  const split = splitFrontMatter(page);
  if (!split) throw new ContentError([{ file: source, line: 1, message: "not a Jekyll page: it must start with a \"---\" front matter block" }]);
  let data: unknown;
  try {
    data = parseYaml(split.yaml);
  } catch (error) {
    throw new ContentError([{ file: source, message: `front matter is not valid YAML: ${(error as Error).message.split("\n")[0] ?? ""}` }]);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) throw new ContentError([{ file: source, line: 2, message: "front matter must be a YAML mapping" }]);
  const fields = data as Record<string, unknown>;
  const warnings: string[] = [];
  const problems: ContentProblem[] = [];
  const str = (key: string): string => (fields[key] === undefined || fields[key] === null ? "" : decode(scalarText(fields[key]), { level: "html5" }).trim());

  let number: number | undefined;
  let title = str("title");
  const lessonField = fields.lesson;
  if (typeof lessonField === "number" && Number.isInteger(lessonField)) number = lessonField;
  else if (typeof lessonField === "string") {
    const heading = splitLessonHeading(lessonField);
    if (heading) {
      number = heading.number;
      if (title === "") title = heading.title;
    } else if (/^\d+$/.test(lessonField.trim())) number = Number(lessonField.trim());
  }
  if (number === undefined) {
    problems.push({ file: source, field: "lesson", message: `expected "<number>&mdash;<title>" (like "1&mdash;Recognizing cats and dogs") or a number, got ${JSON.stringify(lessonField ?? null)}` });
  }
  for (const [key, why] of Object.entries(DROPPED)) if (key in fields) warnings.push(`dropped ${key}: ${why}`);
  for (const key of Object.keys(fields)) if (!MAPPED.has(key) && !(key in DROPPED)) warnings.push(`dropped unknown field ${key}`);

  const converted = markdownToMdx(split.body);
  warnings.push(...converted.changes);
  for (const link of split.body.matchAll(/\]\(((?![a-z]+:|#|\/)[^)\s]+)\)/gi)) warnings.push(`relative link kept as is: ${link[1] ?? ""}`);

  const slug = options.slug ?? `lesson-${number ?? "x"}`;
  if (!SLUG.test(slug)) problems.push({ file: source, message: `slug ${JSON.stringify(slug)} is not a lowercase slug` });
  const synopsis = options.synopsis ?? extractSynopsis(split.body) ?? "";
  if (synopsis === "") problems.push({ file: source, field: "synopsis", message: "the page has no paragraph to use as synopsis; pass --synopsis" });
  if (problems.length > 0) throw new ContentError(problems);

  const lessonNumber = number ?? 0;
  const frontMatter: LessonFrontMatter = {
    lesson: lessonNumber,
    title,
    order: options.order ?? lessonNumber,
    youtubeId: str("youtube_id"),
    wikiFile: str("wiki_file"),
    notesFile: str("notes_file"),
    forumThread: str("forum_thread"),
    synopsis,
    duration: options.duration ?? null,
    chapters: [],
  };
  const mdx = `${stringifyFrontMatter(frontMatter)}\n${converted.body}`;
  const fileName = `${slug}.mdx`;
  const checked = parseLessonFrontMatter(mdx, `${source} -> ${fileName}`);
  if (!checked.ok) throw new ContentError(checked.problems);
  const body = splitFrontMatter(mdx)?.bodyWithBlankFrontMatter ?? mdx;
  const policy = checkMdxPolicy(body, `${source} -> ${fileName}`, { duration: options.duration });
  if (policy.length > 0) throw new ContentError(policy);
  return { slug, frontMatter: checked.frontMatter, mdx, warnings };
}

/** A YAML value as text: scalars as written, a list joined by commas (as String() does), a mapping as JSON. */
function scalarText(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint" || value instanceof Date) return String(value);
  if (Array.isArray(value)) return value.map(scalarText).join(",");
  return JSON.stringify(value) ?? "";
}
