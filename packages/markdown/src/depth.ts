// Guards against text nested thousands of levels deep (`>>>>>...`, `<div><div>...`): most tree utilities recurse,
// and that deep they would overflow the stack or take seconds. Anything nested deeper than MAX_DEPTH is flattened
// into its text, so the reader still sees every word.
import type { Node, Parent } from "unist";

export const MAX_DEPTH = 100;

const PHRASING = new Set(["text", "emphasis", "strong", "delete", "link", "linkReference", "inlineCode", "image", "imageReference", "break", "footnoteReference", "element"]);

function literalText(node: Node): string {
  let out = "";
  const stack: Node[] = [node];
  while (stack.length) {
    const n = stack.pop()!;
    if ("value" in n && typeof n.value === "string" && n.type !== "comment") out += n.value;
    if ("children" in n && Array.isArray(n.children)) for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i] as Node);
  }
  return out;
}

/**
 * Flattens nodes deeper than MAX_DEPTH, in place. `flat` builds the stand-in from the text: markdown trees use a
 * paragraph for block nodes and text for inline ones; HTML trees always text.
 */
export function limitDepth(tree: Parent, flat: (text: string, node: Node) => Node): void {
  const stack: [Parent, number][] = [[tree, 0]];
  while (stack.length) {
    const [parent, depth] = stack.pop()!;
    for (let i = 0; i < parent.children.length; i++) {
      const child = parent.children[i] as Node;
      if (!("children" in child)) continue;
      if (depth + 1 >= MAX_DEPTH) parent.children[i] = flat(literalText(child).replace(/\s+/g, " ").trim(), child);
      else stack.push([child as Parent, depth + 1]);
    }
  }
}

export const flatMarkdown = (value: string, node: Node): Node =>
  PHRASING.has(node.type) ? ({ type: "text", value } as Node) : ({ type: "paragraph", children: [{ type: "text", value }] } as Node);
export const flatHtml = (value: string): Node => ({ type: "text", value }) as Node;

/** Most container markers (`>`, `-`, `1.`) one line may open; more are dropped, their text kept. */
export const MAX_SOURCE_NESTING = 16;
/** Most columns of indentation kept at the start of a line (deep list nesting by indentation). */
export const MAX_INDENT = 64;

const CONTAINER_PREFIX = /^(?:[ \t]*(?:>|[-+*](?=[ \t])|\d{1,9}[.)](?=[ \t]))[ \t]?)+/;
const MARKER = /[ \t]*(?:>|[-+*]|\d{1,9}[.)])[ \t]?/g;

/**
 * The parser (micromark) slows down steeply when thousands of containers open and close (each close splices its
 * event list): 10,000 nested quotes take seconds. Real text never nests that deep, so before parsing each line keeps
 * at most MAX_SOURCE_NESTING container markers and MAX_INDENT columns of indentation; the words stay.
 */
export function limitSourceNesting(markdown: string): string {
  if (!/(?:^|\n)[ \t]*(?:>|[-+*]|\d)|(?:^|\n)[ \t]{65}/.test(markdown)) return markdown;
  let changed = false;
  const lines = markdown.split("\n").map((line) => {
    let out = line;
    const prefix = CONTAINER_PREFIX.exec(out)?.[0];
    if (prefix && prefix.length > MAX_SOURCE_NESTING) {
      const markers = prefix.match(MARKER) ?? [];
      if (markers.length > MAX_SOURCE_NESTING) {
        out = markers.slice(0, MAX_SOURCE_NESTING).join("") + " " + out.slice(prefix.length);
        changed = true;
      }
    }
    const indent = /^[ \t]*/.exec(out)![0];
    if (indent.length > MAX_INDENT) {
      out = indent.slice(0, MAX_INDENT) + out.slice(indent.length);
      changed = true;
    }
    return out;
  });
  return changed ? lines.join("\n") : markdown;
}

/** Most emphasis, bracket and parenthesis characters one paragraph may use as syntax; past that they are escaped (shown as typed). */
export const MAX_INLINE_DELIMITERS = 400;

const DELIMITER = /(?<!\\)[*_[\]()]/g;

/**
 * Longest run of lines (up to a blank line) in which brackets stay syntax. One unbalanced `[` makes GFM's autolink
 * literals walk back over the whole paragraph at every later letter: 120 KB after a lone `[` take 9 s.
 */
export const MAX_PARAGRAPH_CHARS = 16_000;

/**
 * micromark resolves emphasis (`*`, `_`), link brackets and (GFM autolinks) parentheses in time that grows with the
 * square of their number in one paragraph (10,000 nested `*a` take a minute; 10,000 nested `[x](y)` half a minute,
 * because GFM's autolink literals walk back over every event to the last unbalanced `[` at each letter or digit).
 * In a paragraph with more than MAX_INLINE_DELIMITERS of them, or longer than MAX_PARAGRAPH_CHARS, every bracket and
 * parenthesis is escaped, so no `[` is left unbalanced, and emphasis past the limit is escaped too. Links in such a
 * paragraph show as typed; a blank line starts a new paragraph with the full syntax.
 */
export function limitInlineDelimiters(markdown: string): string {
  if (markdown.length < MAX_INLINE_DELIMITERS) return markdown;
  const lines = markdown.split("\n");
  let changed = false;
  let start = 0;
  const escapeParagraph = (from: number, to: number) => {
    let count = 0;
    let chars = 0;
    for (let i = from; i < to; i++) {
      count += lines[i]!.match(DELIMITER)?.length ?? 0;
      chars += lines[i]!.length + 1;
    }
    if (count <= MAX_INLINE_DELIMITERS && chars <= MAX_PARAGRAPH_CHARS) return;
    changed = true;
    let emphasis = 0;
    for (let i = from; i < to; i++) {
      lines[i] = lines[i]!.replace(DELIMITER, (ch) => (ch === "*" || ch === "_" ? (++emphasis <= MAX_INLINE_DELIMITERS ? ch : `\\${ch}`) : `\\${ch}`));
    }
  };
  for (let i = 0; i <= lines.length; i++) {
    if (i === lines.length || lines[i]!.trim() === "") {
      escapeParagraph(start, i);
      start = i + 1;
    }
  }
  return changed ? lines.join("\n") : markdown;
}
