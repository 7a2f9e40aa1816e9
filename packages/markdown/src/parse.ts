// The markdown parser step: remark-parse's job (micromark + mdast-util-from-markdown with the extensions remark-gfm
// registered), but long documents are parsed in pieces. micromark's time grows with the square of the number of
// container blocks in one parse (10,000 one-line quotes take over 20 s); pieces cut at top-level block boundaries
// parse the same and keep it linear. Link reference definitions are given to every piece, so `[text][ref]` still
// finds a definition made elsewhere; footnotes resolve within their piece.
//
// Each piece is parsed again in smaller parts where a cut cannot change the result (see splitParts): even 200
// blocks make micromark's event lists long-lived enough that garbage collection dominates; 16-block parts parse
// the same tree about twice as fast.
import type { Root } from "mdast";
import { fromMarkdown, type Extension as MdastExtension } from "mdast-util-from-markdown";
import type { Extension as MicromarkExtension } from "micromark-util-types";
import type { Processor } from "unified";
import { limitInlineDelimiters, limitSourceNesting } from "./depth";

/** Top-level blocks per piece; documents with fewer are parsed whole. */
export const BLOCKS_PER_PIECE = 200;
/** Top-level blocks per part of a piece (at least as many as the document has link definitions, see splitParts). */
export const BLOCKS_PER_PART = 16;

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

/** A list item after a blank line may continue the list above it (a loose list): never cut there. */
const LIST_ITEM = /^(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)/;
/** HTML blocks that run over blank lines (comments, `<?`, `<!X`, CDATA, pre/script/style/textarea) and what ends each. */
const HTML_OPEN = /<!--|<\?|<!\[CDATA\[|<![A-Za-z]|<(?:pre|script|style|textarea)(?=[\s>]|$)/gi;
const htmlEnd = (open: string): RegExp => {
  if (open === "<!--") return /-->/g;
  if (open === "<?") return /\?>/g;
  if (open.startsWith("<![C")) return /\]\]>/g;
  if (open.startsWith("<!")) return />/g;
  return /<\/(?:pre|script|style|textarea)>/gi;
};

/**
 * Cuts one piece (as splitBlocks made it) into parts that parse to exactly the nodes the whole piece parses to:
 * only before an unindented line after a blank line, outside fenced code and outside HTML blocks that may span
 * blank lines (anywhere in a line counts, which only cuts less), and never before a list item. Pieces with
 * footnotes, or ending inside code or HTML, stay whole (a footnote resolves within its parse). Every part gets the document's definitions
 * appended, so parts are at least as long as the definitions to keep that cost linear.
 */
export function splitParts(piece: string, definitions: number, blocksPerPart = BLOCKS_PER_PART): string[] {
  const size = Math.max(blocksPerPart, definitions);
  if (size >= BLOCKS_PER_PIECE || piece.includes("[^")) return [piece];
  const lines = piece.split("\n");
  const parts: string[] = [];
  let fence: string | undefined;
  let html: RegExp | undefined;
  let start = 0;
  let blocks = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const cuttable = !fence && !html && i > 0 && lines[i - 1]!.trim() === "" && /^\S/.test(line) && !LIST_ITEM.test(line);
    if (cuttable && ++blocks >= size) {
      parts.push(lines.slice(start, i).join("\n"));
      start = i;
      blocks = 0;
    }
    const f = FENCE.exec(line)?.[1];
    if (f && (!fence || (f[0] === fence[0] && f.length >= fence.length && line.trim() === f))) fence = fence ? undefined : f;
    if (fence) continue;
    // Follow HTML blocks opening and closing through the line.
    let at = 0;
    for (;;) {
      if (html) {
        html.lastIndex = at;
        if (!html.exec(line)) break;
        at = html.lastIndex;
        html = undefined;
      } else {
        HTML_OPEN.lastIndex = at;
        const open = HTML_OPEN.exec(line);
        if (!open) break;
        at = HTML_OPEN.lastIndex;
        html = htmlEnd(open[0]);
      }
    }
  }
  // A piece ending inside code or HTML would swallow the definitions appended to it: keep it whole, as before.
  if (fence || html) return [piece];
  parts.push(lines.slice(start).join("\n"));
  return parts;
}

/**
 * GFM's literal autolinks (www., http(s)://, e-mail) are found by a transform over the parsed tree that runs four
 * regular expressions on every text node. It can only match text holding one of these (`&` for character
 * references), so it runs on the top-level blocks whose source has one; each text node is handled on its own, so
 * block by block is the same as the whole tree at once.
 */
const AUTOLINK_CANDIDATE = /@|&|www|http/i;

type Transform = NonNullable<MdastExtension["transforms"]>[number];
const flatten = (list: (MdastExtension | MdastExtension[])[]): MdastExtension[] => list.flat();

export function parseMarkdown(this: Processor) {
  // eslint-disable-next-line @typescript-eslint/no-this-alias
  const self = this;
  let settings: { extensions: MicromarkExtension[]; mdastExtensions: MdastExtension[] } | undefined;
  let transforms: Transform[] = [];
  const parse = (text: string): Root => {
    if (!settings) {
      // What remark-gfm registered (the same data remark-parse reads); read once, when the frozen processor first parses.
      const data = self.data() as { micromarkExtensions?: MicromarkExtension[]; fromMarkdownExtensions?: (MdastExtension | MdastExtension[])[] };
      const extensions = flatten(data.fromMarkdownExtensions ?? []);
      transforms = extensions.flatMap((e) => e.transforms ?? []);
      settings = { extensions: data.micromarkExtensions ?? [], mdastExtensions: extensions.map(({ transforms: _, ...e }) => e) };
    }
    const tree = fromMarkdown(text, settings);
    if (!transforms.length) return tree;
    for (const child of tree.children) {
      const from = child.position?.start.offset;
      const to = child.position?.end.offset;
      if (from !== undefined && to !== undefined && !AUTOLINK_CANDIDATE.test(text.slice(from, to))) continue;
      for (const transform of transforms) transform({ type: "root", children: [child] });
    }
    return tree;
  };
  self.parser = (document: string): Root => {
    const source = limitInlineDelimiters(limitSourceNesting(document));
    const { pieces, definitions } = splitBlocks(source);
    const tail = definitions.length ? `\n\n${definitions.join("\n")}\n` : "";
    const parts = pieces.flatMap((piece) => splitParts(piece, definitions.length));
    if (parts.length === 1) return parse(source);
    const root: Root = { type: "root", children: [] };
    for (const part of parts) {
      const children = parse(part + tail).children;
      // The appended definitions render nothing, but the piece's own are kept once (last piece wins nothing).
      for (const child of children) root.children.push(child);
    }
    return root;
  };
}
