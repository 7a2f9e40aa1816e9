// Wikitext to markdown for our pipeline (GFM + `[[Title]]` / `[[Title|label]]` wiki links). Line-based, as
// MediaWiki's own parser is: headings, lists, rules, preformatted lines, tables and paragraphs; inline.ts does the
// rest. What we cannot convert is kept verbatim (a ```wikitext block, or inline code within a sentence) and listed.
import { canonicalTitle, convertInline, type ConvertOptions, type InlineContext, type Unconverted } from "./inline";
import { escapeLineStart, fencedBlock } from "./markdown-text";
import { CLOSE, OPEN, PLACEHOLDER, prescan, type Span } from "./prescan";
import { convertTable } from "./table";

export type { ConvertOptions, Unconverted };

export interface Conversion {
  markdown: string;
  /** What was kept verbatim, in page order. */
  unconverted: Unconverted[];
  /** Categories the page is in (`[[Category:X]]`), canonical, without the prefix, in order, once each. */
  categories: string[];
  /** The target title when the page is a redirect. */
  redirect?: string;
}

const REDIRECT = /^\s*#REDIRECT\s*:?\s*\[\[([^[\]|]+)(?:\|[^[\]]*)?\]\]/i;
const HEADING = /^(={1,6})(.+?)(={1,6})\s*$/;
const LIST = /^[*#:;]+/;
const BLOCK_LINE = /^\s*(?:\uE000\d+\uE001\s*)+$/;

export function wikitextToMarkdown(text: string, options: ConvertOptions = {}): Conversion {
  const scanned = prescan(text);
  const ctx: InlineContext = { spans: scanned.spans, unconverted: [], categories: [], options };
  const lines = scanned.text.split("\n");
  const lineOf = (i: number) => scanned.origin[i] ?? 1;
  const blocks: string[] = [];
  let redirect: string | undefined;

  let i = 0;
  while (i < lines.length && lines[i]!.trim() === "") i++;
  const redirectMatch = i < lines.length ? REDIRECT.exec(lines[i]!) : null;
  if (redirectMatch) {
    redirect = canonicalTitle(redirectMatch[1]!.split("#")[0]!, options.capitalLinks ?? true);
    blocks.push(`#REDIRECT [[${redirect}]]`);
    lines[i] = lines[i]!.slice(redirectMatch[0].length);
  }

  while (i < lines.length) {
    const line = lines[i]!;
    const at = lineOf(i);
    if (line.trim() === "") {
      i++;
      continue;
    }
    if (BLOCK_LINE.test(line) && blockSpans(line, ctx.spans)) {
      for (const m of line.matchAll(PLACEHOLDER)) blocks.push(blockSpan(ctx.spans[Number(m[1])]!, ctx, at));
      i++;
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading && heading[2]!.trim() !== "") {
      const level = Math.min(heading[1]!.length, heading[3]!.length);
      const content = "=".repeat(heading[1]!.length - level) + heading[2]! + "=".repeat(heading[3]!.length - level);
      const converted = convertInline(content.trim(), ctx, "heading", at).replace(/#+$/, (m) => `\\${m}`);
      blocks.push(`${"#".repeat(level)} ${converted}`);
      i++;
      continue;
    }
    const rule = /^-{4,}/.exec(line);
    if (rule) {
      blocks.push("---");
      lines[i] = line.slice(rule[0].length);
      if (lines[i]!.trim() === "") i++;
      continue;
    }
    if (LIST.test(line)) {
      const items: Array<{ text: string; line: number }> = [];
      while (i < lines.length && LIST.test(lines[i]!)) {
        items.push({ text: lines[i]!, line: lineOf(i) });
        i++;
      }
      blocks.push(convertList(items, ctx));
      continue;
    }
    if (line.startsWith(" ")) {
      const pre: string[] = [];
      while (i < lines.length && lines[i]!.startsWith(" ") && lines[i]!.trim() !== "") {
        pre.push(restoreVerbatim(lines[i]!.slice(1), ctx, lineOf(i)));
        i++;
      }
      blocks.push(fencedBlock(pre.join("\n"), ""));
      continue;
    }
    const paragraph: string[] = [];
    while (i < lines.length && startsParagraphLine(lines[i]!, ctx.spans)) {
      const converted = convertInline(lines[i]!.trim(), ctx, "block", lineOf(i));
      paragraph.push(...converted.split("\n").map((l) => escapeLineStart(l.trimEnd())));
      i++;
      if (paragraph.length > 0 && i < lines.length && HEADING.exec(lines[i]!)) break;
    }
    const joined = paragraph.join("\n").trim();
    if (joined) blocks.push(joined);
  }

  return {
    markdown: blocks.join("\n\n") + (blocks.length > 0 ? "\n" : ""),
    unconverted: ctx.unconverted.sort((a, b) => a.line - b.line),
    categories: [...new Set(ctx.categories)],
    ...(redirect === undefined ? {} : { redirect }),
  };
}

function startsParagraphLine(line: string, spans: Span[]): boolean {
  if (line.trim() === "" || LIST.test(line) || line.startsWith(" ") || /^-{4,}/.test(line)) return false;
  if (BLOCK_LINE.test(line) && blockSpans(line, spans)) return false;
  return true;
}

/** Whether every placeholder on a line that holds only placeholders can stand as a block of its own. */
function blockSpans(line: string, spans: Span[]): boolean {
  for (const m of line.matchAll(PLACEHOLDER)) {
    const span = spans[Number(m[1])]!;
    if (span.kind === "nowiki" || (span.kind === "code" && !span.block)) return false;
  }
  return true;
}

function blockSpan(span: Span, ctx: InlineContext, line: number): string {
  switch (span.kind) {
    case "code":
      return fencedBlock(span.code, span.language);
    case "unconverted":
      ctx.unconverted.push({ line: span.line, construct: span.construct, source: span.source });
      return fencedBlock(span.source, "wikitext");
    case "table": {
      const table = convertTable(span.source, ctx, span.line);
      if (table !== undefined) return table;
      ctx.unconverted.push({ line: span.line, construct: "table", source: span.source });
      return fencedBlock(span.source, "wikitext");
    }
    case "nowiki":
      return convertInline(`${OPEN}${ctx.spans.indexOf(span)}${CLOSE}`, ctx, "block", line);
  }
}

/** Text of a preformatted line as written: placeholders back to their source (nowiki and code to their text). */
function restoreVerbatim(text: string, ctx: InlineContext, line: number): string {
  return text.replace(PLACEHOLDER, (_, index: string) => {
    const span = ctx.spans[Number(index)]!;
    if (span.kind === "nowiki") return span.text;
    if (span.kind === "code") return span.code;
    ctx.unconverted.push({ line, construct: span.kind === "table" ? "table" : span.construct, source: span.source });
    return span.source;
  });
}

const MARKER_WIDTH: Record<string, number> = { "*": 2, "#": 3 };

/**
 * `*` bullets and `#` numbers nest by prefix; `:` after a list marker continues the item on a new paragraph, `:`
 * with no list before it indents (a quote), `;` is a term (bold).
 */
function convertList(items: Array<{ text: string; line: number }>, ctx: InlineContext): string {
  const expanded: Array<{ prefix: string; content: string; line: number }> = [];
  for (const item of items) {
    const prefix = LIST.exec(item.text)![0];
    const content = item.text.slice(prefix.length).trim();
    if (prefix.endsWith(";")) {
      const colon = definitionColon(content);
      if (colon !== -1) {
        expanded.push({ prefix, content: content.slice(0, colon).trim(), line: item.line });
        expanded.push({ prefix: `${prefix.slice(0, -1)}:`, content: content.slice(colon + 1).trim(), line: item.line });
        continue;
      }
    }
    expanded.push({ prefix, content, line: item.line });
  }

  const out: string[] = [];
  for (const { prefix, content, line } of expanded) {
    const quoteDepth = /^[:;]*/.exec(prefix)![0].length;
    const listPart = prefix.slice(quoteDepth);
    const quote = "> ".repeat(listPart === "" ? prefix.replace(/;$/, "").length : quoteDepth);
    const converted = convertInline(content, ctx, "block", line);
    const last = prefix[prefix.length - 1]!;
    if (listPart === "") {
      const text = last === ";" && converted ? `**${converted}**` : escapeLines(converted, quote);
      out.push(`\n${last === ";" ? quote + text : text}`);
      continue;
    }
    let indent = 0;
    for (const c of listPart.slice(0, -1)) indent += MARKER_WIDTH[c] ?? 0;
    const pad = " ".repeat(indent);
    if (last === "*" || last === "#") {
      const marker = last === "*" ? "- " : "1. ";
      const body = escapeLines(converted, quote + " ".repeat(indent + marker.length));
      out.push(`${quote}${pad}${marker}${body.slice(quote.length + indent + marker.length)}`);
    } else {
      const text = last === ";" && converted ? `**${converted}**` : converted;
      out.push(`\n${escapeLines(text, quote + pad)}`);
    }
  }
  return out.join("\n").replace(/^\n+/, "");
}

/** Each line of converted inline text, escaped at its start and indented to sit inside its container. */
function escapeLines(text: string, indent: string): string {
  return text
    .split("\n")
    .map((l) => indent + escapeLineStart(l.trimEnd()))
    .join("\n");
}

/** Where `; term : definition` splits: the first `:` outside links and not part of a URL. */
function definitionColon(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.startsWith("[[", i) || text.startsWith("[", i)) depth++;
    else if (text[i] === "]") depth = Math.max(0, depth - 1);
    else if (text[i] === ":" && depth === 0 && !text.startsWith("//", i + 1)) return i;
  }
  return -1;
}
