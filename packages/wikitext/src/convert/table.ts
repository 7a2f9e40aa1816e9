// `{| ... |}` tables to GFM tables when they are simple: one line per row of cells (`| a || b`, `! h !! h`), no
// row or column spans, no nested tables, nothing in a cell we cannot convert. Anything else is kept verbatim.
import { convertInline, type InlineContext } from "./inline";
import { prescan } from "./prescan";

interface Cell {
  header: boolean;
  content: string;
}

/** The GFM table (with its caption as a paragraph above), or undefined when the table is not simple. */
export function convertTable(source: string, ctx: InlineContext, line: number): string | undefined {
  const newline = source.indexOf("\n");
  if (!source.trimStart().startsWith("{|") || newline === -1) return undefined;
  // Templates and the like in cells become placeholders first, so their `|` do not split cells.
  const inner = prescan(source.slice(newline + 1));
  const lines = ["{|", ...inner.text.split("\n")];
  const child: InlineContext = { ...ctx, spans: inner.spans, unconverted: [], categories: [] };
  const rows: Cell[][] = [];
  let caption: string | undefined;
  let row: Cell[] | undefined;
  for (const [index, rawLine] of lines.entries()) {
    const text = rawLine.trim();
    if (index === 0) {
      if (!text.startsWith("{|")) return undefined;
      continue;
    }
    if (text === "") continue;
    if (text.startsWith("|}")) {
      if (index !== lines.length - 1 || text.length > 2) return undefined;
      break;
    }
    if (text.startsWith("{|")) return undefined;
    if (text.startsWith("|+")) {
      caption = dropAttributes(text.slice(2));
      continue;
    }
    if (text.startsWith("|-")) {
      row = undefined;
      continue;
    }
    const header = text.startsWith("!");
    if (!header && !text.startsWith("|")) return undefined; // a cell spanning lines
    if (!row) {
      row = [];
      rows.push(row);
    }
    const separator = header ? /!!|\|\|/ : /\|\|/;
    for (const cell of splitOutsideLinks(text.slice(1), separator)) {
      const content = cellContent(cell);
      if (content === undefined) return undefined;
      row.push({ header, content });
    }
  }
  if (rows.length === 0) return undefined;

  const convert = (text: string) => convertInline(text, child, "table", line);
  const width = Math.max(...rows.map((r) => r.length));
  const hasHeader = rows[0]!.every((c) => c.header);
  const body = hasHeader ? rows.slice(1) : rows;
  const headerCells = hasHeader ? rows[0]!.map((c) => convert(c.content)) : [];
  const bodyRows = body.map((r) => r.map((c) => (c.header ? bold(convert(c.content)) : convert(c.content))));
  const captionText = caption === undefined ? undefined : convertInline(caption, child, "block", line);
  if (child.unconverted.length > 0) return undefined;
  ctx.categories.push(...child.categories);

  const pad = (cells: string[]) => Array.from({ length: width }, (_, i) => cells[i] ?? "");
  const format = (cells: string[]) => `| ${pad(cells).join(" | ")} |`.replace(/ {2,}\|/g, " |");
  const out = [format(headerCells), `|${" --- |".repeat(width)}`, ...bodyRows.map(format)];
  return (captionText ? `${captionText}\n\n` : "") + out.join("\n");
}

function bold(text: string): string {
  return text.trim() ? `**${text.trim()}**` : text;
}

/** A cell's content without its attributes (`style="..." | content`); undefined when it spans rows or columns. */
function cellContent(cell: string): string | undefined {
  const parts = splitOutsideLinks(cell, /\|/);
  if (parts.length === 1) return cell.trim();
  const attributes = parts[0]!;
  if (/\b(?:rowspan|colspan)\s*=/i.test(attributes)) return undefined;
  return parts.slice(1).join("|").trim();
}

function dropAttributes(text: string): string {
  const parts = splitOutsideLinks(text, /\|/);
  return (parts.length > 1 ? parts.slice(1).join("|") : text).trim();
}

/** Splits on `separator` where it is not inside `[[...]]`. */
function splitOutsideLinks(text: string, separator: RegExp): string[] {
  const parts: string[] = [];
  let depth = 0;
  let from = 0;
  let i = 0;
  const sticky = new RegExp(separator.source, "y");
  while (i < text.length) {
    if (text.startsWith("[[", i)) {
      depth++;
      i += 2;
      continue;
    }
    if (text.startsWith("]]", i) && depth > 0) {
      depth--;
      i += 2;
      continue;
    }
    sticky.lastIndex = i;
    const m = depth === 0 ? sticky.exec(text) : null;
    if (m) {
      parts.push(text.slice(from, i));
      i += m[0].length;
      from = i;
    } else i++;
  }
  parts.push(text.slice(from));
  return parts;
}
