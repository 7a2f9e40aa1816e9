// First pass over wikitext: takes out what must not be parsed as markup (nowiki, pre, code, syntaxhighlight), what
// cannot be converted (templates, refs, extension tags, magic words), tables (converted on their own) and comments
// (dropped). Each is replaced by a placeholder character pair; the remaining text keeps, per line, the line it came
// from, so every construct is reported at its line in the original page.

import { decodeEntities } from "./markdown-text";

export type Span =
  | { kind: "nowiki"; text: string }
  | { kind: "code"; code: string; language: string; block: boolean; source: string }
  | { kind: "unconverted"; construct: string; source: string; line: number }
  | { kind: "table"; source: string; line: number };

export interface Prescanned {
  text: string;
  /** For each line of `text`, its line number (1-based) in the original. */
  origin: number[];
  spans: Span[];
}

export const OPEN = "\uE000";
export const CLOSE = "\uE001";
export const PLACEHOLDER = /\uE000(\d+)\uE001/g;

/** Extension tags whose content is not wikitext and that we cannot render; kept verbatim. */
const EXTENSION_TAGS = [
  "gallery", "math", "chem", "ce", "poem", "timeline", "score", "graph", "imagemap", "categorytree", "templatedata",
  "inputbox", "includeonly", "noinclude", "onlyinclude", "hiero", "mapframe", "maplink", "section", "indicator",
  "templatestyles", "charinsert", "dynamicpagelist", "references", "ref",
];

const COMMENT = /<!--[\s\S]*?(?:-->|$)/y;
const NOWIKI_EMPTY = /<nowiki\s*\/>/iy;
const NOWIKI = /<nowiki\s*>([\s\S]*?)<\/nowiki\s*>/iy;
const PRE = /<pre(?:\s[^>]*)?>([\s\S]*?)<\/pre\s*>/iy;
const HIGHLIGHT = /<(syntaxhighlight|source)(\s[^>]*)?>([\s\S]*?)<\/\1\s*>/iy;
const CODE = /<(code|tt)(?:\s[^>]*)?>([\s\S]*?)<\/\1\s*>/iy;
const EXTENSION = new RegExp(`<(${EXTENSION_TAGS.join("|")})(?:\\s[^>]*?)?(?:/>|>[\\s\\S]*?</\\1\\s*>)`, "iy");
const SELF_CLOSING = new RegExp(`<(${EXTENSION_TAGS.join("|")})(?:\\s[^>]*?)?/>`, "iy");
const MAGIC_WORD = /__[A-Z]{2,}__/y;
const TABLE_START = /[ \t]*\{\|/y;
const NEXT_SPECIAL = /[<{_\n]/g;

function stickyMatch(re: RegExp, text: string, at: number): RegExpExecArray | null {
  re.lastIndex = at;
  return re.exec(text);
}

function count(text: string, char: string): number {
  let n = 0;
  for (const c of text) if (c === char) n++;
  return n;
}

export function prescan(input: string): Prescanned {
  const src = input.replace(/\r\n?/g, "\n").replace(/[\uE000\uE001]/g, "\uFFFD");
  const spans: Span[] = [];
  const origin: number[] = [1];
  let line = 1;
  let p = 0;
  const braces = braceEnds(src);
  const closes = closingTags(src);

  // Pieces joined at the end, and whether the output is at a line start, tracked rather than read back:
  // reading a concatenated string flattens it, which made long pages quadratic.
  const pieces: string[] = [];
  let outAtLineStart = true;
  const copy = (s: string) => {
    if (s.length === 0) return;
    if (outAtLineStart) origin[origin.length - 1] = line;
    for (let k = s.indexOf("\n"); k !== -1; k = s.indexOf("\n", k + 1)) {
      line++;
      origin.push(line);
    }
    pieces.push(s);
    outAtLineStart = s.endsWith("\n");
  };
  const place = (span: Span, raw: string) => {
    if (outAtLineStart) origin[origin.length - 1] = line;
    spans.push(span);
    pieces.push(`${OPEN}${spans.length - 1}${CLOSE}`);
    outAtLineStart = false;
    line += count(raw, "\n");
  };

  while (p < src.length) {
    const lineStart = p === 0 || src[p - 1] === "\n";
    if (lineStart && stickyMatch(TABLE_START, src, p)) {
      const end = tableEnd(src, p);
      const raw = src.slice(p, end);
      place({ kind: "table", source: raw, line }, raw);
      p = end;
      continue;
    }
    const c = src[p];
    let m: RegExpExecArray | null;
    if (c === "<") {
      if ((m = stickyMatch(COMMENT, src, p))) {
        // A comment alone on its line takes the line with it, as MediaWiki does.
        const after = p + m[0].length;
        const ownLine = lineStart && src[after] === "\n";
        line += count(m[0], "\n") + (ownLine ? 1 : 0);
        p = after + (ownLine ? 1 : 0);
        continue;
      }
      if ((m = stickyMatch(NOWIKI_EMPTY, src, p))) {
        p += m[0].length;
        continue;
      }
      const tag = /^<([a-z]+)/i.exec(src.slice(p, p + 20))?.[1]?.toLowerCase() ?? "";
      const closed = tag !== "" && closes(tag, p);
      if (closed && (m = stickyMatch(NOWIKI, src, p))) {
        place({ kind: "nowiki", text: decodeEntities(m[1]!) }, m[0]);
        p += m[0].length;
        continue;
      }
      if (closed && (m = stickyMatch(PRE, src, p))) {
        place({ kind: "code", code: decodeEntities(stripNowiki(m[1]!)), language: "", block: true, source: m[0] }, m[0]);
        p += m[0].length;
        continue;
      }
      if (closed && (m = stickyMatch(HIGHLIGHT, src, p))) {
        const attrs = m[2] ?? "";
        const language = /\blang\s*=\s*["']?([\w+#.-]+)/i.exec(attrs)?.[1] ?? "";
        const block = !/\binline\b/i.test(attrs);
        place({ kind: "code", code: m[3]!, language, block, source: m[0] }, m[0]);
        p += m[0].length;
        continue;
      }
      if (closed && (m = stickyMatch(CODE, src, p))) {
        place({ kind: "code", code: decodeEntities(stripNowiki(m[2]!)), language: "", block: false, source: m[0] }, m[0]);
        p += m[0].length;
        continue;
      }
      if ((m = stickyMatch(closed ? EXTENSION : SELF_CLOSING, src, p))) {
        place({ kind: "unconverted", construct: `<${m[1]!.toLowerCase()}>`, source: m[0], line }, m[0]);
        p += m[0].length;
        continue;
      }
    } else if (c === "{" && src[p + 1] === "{") {
      const end = braces.get(p);
      if (end !== undefined) {
        const raw = src.slice(p, end);
        place({ kind: "unconverted", construct: braceConstruct(raw), source: raw, line }, raw);
        p = end;
        continue;
      }
    } else if (c === "_" && (m = stickyMatch(MAGIC_WORD, src, p))) {
      place({ kind: "unconverted", construct: "magic word", source: m[0], line }, m[0]);
      p += m[0].length;
      continue;
    }
    if (c === "\n") {
      copy("\n");
      p++;
      continue;
    }
    NEXT_SPECIAL.lastIndex = p + 1;
    const next = NEXT_SPECIAL.exec(src)?.index ?? src.length;
    copy(src.slice(p, next));
    p = next;
  }
  return { text: pieces.join(""), origin, spans };
}

/** Index just after a table starting at `start` (at a line start): its `|}` line, nested tables counted. */
function tableEnd(src: string, start: number): number {
  let depth = 0;
  let p = start;
  while (p < src.length) {
    const nl = src.indexOf("\n", p);
    const end = nl === -1 ? src.length : nl;
    const text = src.slice(p, end).trimStart();
    if (text.startsWith("{|")) depth++;
    else if (text.startsWith("|}")) depth--;
    if (depth === 0) return end;
    p = end + 1;
  }
  return src.length;
}

/**
 * For each `{{` (or `{{{`) that closes, the index just after its `}}` (or `}}}`), found in one pass with a stack so
 * that a page full of unclosed braces stays linear.
 */
function braceEnds(src: string): Map<number, number> {
  const ends = new Map<number, number>();
  const stack: Array<{ at: number; size: number }> = [];
  let nextOpen = -2;
  let nextClose = -2;
  let p = 0;
  while (p < src.length) {
    if (nextOpen !== -1 && nextOpen < p) nextOpen = src.indexOf("{{", p);
    if (nextClose !== -1 && nextClose < p) nextClose = src.indexOf("}}", p);
    const next = nextOpen === -1 ? nextClose : nextClose === -1 ? nextOpen : Math.min(nextOpen, nextClose);
    if (next === -1) break;
    p = next;
    const top = stack[stack.length - 1];
    if (src.startsWith("{{{", p) && !src.startsWith("{{{{", p)) {
      stack.push({ at: p, size: 3 });
      p += 3;
    } else if (src.startsWith("{{", p)) {
      stack.push({ at: p, size: 2 });
      p += 2;
    } else if (top?.size === 3 && src.startsWith("}}}", p)) {
      stack.pop();
      p += 3;
      ends.set(top.at, p);
    } else if (top?.size === 2 && src.startsWith("}}", p)) {
      stack.pop();
      p += 2;
      ends.set(top.at, p);
    } else p++;
  }
  return ends;
}

/** Whether a closing tag `</name` occurs at or after `from`; cached per tag so repeated unclosed tags stay linear. */
function closingTags(src: string): (name: string, from: number) => boolean {
  const next = new Map<string, number>();
  return (name, from) => {
    const key = name.toLowerCase();
    const known = next.get(key);
    if (known !== undefined && (known === -1 || known >= from)) return known !== -1;
    const re = new RegExp(`</${key}\\s*>`, "gi");
    re.lastIndex = from;
    const found = re.exec(src)?.index ?? -1;
    next.set(key, found);
    return found !== -1;
  };
}

function braceConstruct(raw: string): string {
  if (raw.startsWith("{{{")) return "template parameter";
  const inner = raw.slice(2).trimStart();
  if (inner.startsWith("#")) return "parser function";
  if (/^(?:[A-Z][A-Z0-9_ ]*)(?::|\s*\}\})/.test(inner) && !/^(?:subst|safesubst):/i.test(inner)) return "magic word";
  return "template";
}

function stripNowiki(text: string): string {
  return text.replace(/<\/?nowiki\s*\/?>/gi, "");
}

