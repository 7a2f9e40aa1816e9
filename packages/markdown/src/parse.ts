// The markdown parser step: remark-parse's job (micromark + mdast-util-from-markdown with the extensions remark-gfm
// registered), but long documents are parsed in pieces. micromark's time grows with the square of the number of
// container blocks in one parse (10,000 one-line quotes take over 20 s); pieces cut at top-level block boundaries
// parse the same and keep it linear. Link reference definitions are given to every piece, so `[text][ref]` still
// finds a definition made elsewhere; footnotes resolve within their piece.
import type { Root } from "mdast";
import { fromMarkdown, type Extension as MdastExtension } from "mdast-util-from-markdown";
import type { Extension as MicromarkExtension } from "micromark-util-types";
import type { Processor } from "unified";
import { limitInlineDelimiters, limitSourceNesting } from "./depth";

/** Top-level blocks per piece; documents with fewer are parsed whole. */
export const BLOCKS_PER_PIECE = 200;

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const DEFINITION = /^ {0,3}\[(?!\^)[^\]\n]{1,999}\]:[ \t]*\S/;

/** Cuts markdown at blank lines followed by an unindented line outside fenced code: places no block spans. */
export function splitBlocks(markdown: string, blocksPerPiece = BLOCKS_PER_PIECE): { pieces: string[]; definitions: string[] } {
  const lines = markdown.split("\n");
  const pieces: string[] = [];
  const definitions: string[] = [];
  let fence: string | undefined;
  let start = 0;
  let blocks = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const f = FENCE.exec(line)?.[1];
    if (f && (!fence || (f[0] === fence[0] && f.length >= fence.length && line.trim() === f))) fence = fence ? undefined : f;
    if (fence) continue;
    if (DEFINITION.test(line)) definitions.push(line);
    const previous = lines[i - 1];
    if (i > 0 && previous !== undefined && previous.trim() === "" && /^\S/.test(line) && ++blocks >= blocksPerPiece) {
      pieces.push(lines.slice(start, i).join("\n"));
      start = i;
      blocks = 0;
    }
  }
  pieces.push(lines.slice(start).join("\n"));
  return { pieces, definitions };
}

export function parseMarkdown(this: Processor) {
  // eslint-disable-next-line @typescript-eslint/no-this-alias
  const self = this;
  self.parser = (document: string): Root => {
    // What remark-gfm registered (the same data remark-parse reads).
    const data = self.data() as { micromarkExtensions?: MicromarkExtension[]; fromMarkdownExtensions?: MdastExtension[] };
    const settings = { extensions: data.micromarkExtensions ?? [], mdastExtensions: data.fromMarkdownExtensions ?? [] };
    const source = limitInlineDelimiters(limitSourceNesting(document));
    const { pieces, definitions } = splitBlocks(source);
    if (pieces.length === 1) return fromMarkdown(source, settings);
    const tail = definitions.length ? `\n\n${definitions.join("\n")}\n` : "";
    const root: Root = { type: "root", children: [] };
    for (const piece of pieces) {
      const children = fromMarkdown(piece + tail, settings).children;
      // The appended definitions render nothing, but the piece's own are kept once (last piece wins nothing).
      for (const child of children) root.children.push(child);
    }
    return root;
  };
}
