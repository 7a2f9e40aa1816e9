// Writing markdown that reads back as exactly the text meant: escapes, code spans and fences.

/** Where converted inline text goes: some places cannot hold a line break or an unescaped `|`. */
export type InlinePlace = "block" | "heading" | "table" | "label";

const WORD_JOINER = "\u2060";

/**
 * Backslash-escapes what markdown (CommonMark + GFM) would read as syntax in plain text. `_` is escaped only at a
 * word edge (intraword `_` is never emphasis, and `snake_case` should stay readable). Our pipeline's own syntax on
 * text nodes (`[[...]]` links, `@name` mentions) is broken with an invisible word joiner, since escapes do not reach it.
 */
export function escapeText(text: string): string {
  return text
    .replace(/[\\`*[\]<>|~]/g, "\\$&")
    .replace(/_/g, (m, offset: number, s: string) => (isWordChar(s[offset - 1]) && isWordChar(s[offset + 1]) ? m : "\\_"))
    .replace(/(?<![\w@./+-])@(?=[A-Za-z0-9_])/g, `@${WORD_JOINER}`)
    .replace(/\\\[\\\[/g, `\\[${WORD_JOINER}\\[`);
}

function isWordChar(c: string | undefined): boolean {
  return c !== undefined && /[\p{L}\p{N}]/u.test(c);
}

/** Escapes what would start a block at the beginning of a paragraph line (heading, list, setext underline, quote). */
export function escapeLineStart(line: string): string {
  return line
    .replace(/^(\s*)([#=+-])/, "$1\\$2")
    .replace(/^(\s*\d{1,9})([.)])/, "$1\\$2");
}

/** An inline code span holding `code` verbatim, whatever backticks it has. */
export function codeSpan(code: string, place: InlinePlace): string {
  let content = code.replace(/\r?\n/g, " ");
  if (place === "table") content = content.replace(/\|/g, "\\|");
  if (content.trim() === "") return content.length > 0 ? `\`${content}\`` : "";
  const longest = Math.max(0, ...Array.from(content.matchAll(/`+/g), (m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  const pad = content.startsWith("`") || content.endsWith("`") || (content.startsWith(" ") && content.endsWith(" ")) ? " " : "";
  return `${fence}${pad}${content}${pad}${fence}`;
}

/** A fenced code block holding `code` verbatim, with a fence longer than any backtick run in it. */
export function fencedBlock(code: string, language: string): string {
  const body = code.replace(/\r\n?/g, "\n").replace(/^\n+|\n+$/g, "");
  const longest = Math.max(0, ...Array.from(body.matchAll(/`{3,}/g), (m) => m[0].length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  const info = language.replace(/[^\w+#.-]/g, "").slice(0, 40);
  return `${fence}${info}\n${body}\n${fence}`;
}

const ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'", nbsp: "\u00a0" };

/** Decodes the few HTML entities MediaWiki decodes inside `<pre>` (and numeric ones). */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, name: string) => {
    if (name[0] === "#") {
      const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
    }
    return ENTITIES[name.toLowerCase()] ?? m;
  });
}
