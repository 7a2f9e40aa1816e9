// Headings for a table of contents: every heading is reported in `found.headings`; with `headingIds` each also gets
// an anchor id made here (`h-` and a slug of its text, numbered when repeated), never one written by the user (the
// sanitizer prefixes those with `user-content-`).
import type { Element, Root } from "hast";
import type { VFile } from "vfile";
import { visit } from "unist-util-visit";
import { contextOf } from "./context";

const HEADING = /^h([1-6])$/;

function textOf(node: Element): string {
  let text = "";
  visit(node, "text", (t) => {
    text += t.value;
  });
  return text.replace(/\s+/g, " ").trim();
}

export function slugify(text: string): string {
  const slug = text
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80);
  return slug || "section";
}

export function headings() {
  return (tree: Root, file: VFile) => {
    const ctx = contextOf(file);
    const used = new Map<string, number>();
    visit(tree, "element", (el) => {
      const match = HEADING.exec(el.tagName);
      if (!match) return;
      const text = textOf(el);
      if (!ctx.options.headingIds) {
        ctx.found.headings.push({ depth: Number(match[1]), text });
        return;
      }
      const base = `h-${slugify(text)}`;
      const seen = used.get(base) ?? 0;
      used.set(base, seen + 1);
      const id = seen === 0 ? base : `${base}-${seen + 1}`;
      el.properties.id = id;
      ctx.found.headings.push({ depth: Number(match[1]), text, id });
    });
  };
}
