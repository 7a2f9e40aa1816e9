// Small helpers over hast (the HTML syntax tree) that our passes share. All walks are iterative: user text may nest
// ten thousand levels deep, and recursion that deep overflows the stack.
import type { Element, ElementContent, Nodes, Parents, Root, Text } from "hast";

export const h = (tagName: string, properties: Element["properties"], children: ElementContent[] = []): Element => ({
  type: "element",
  tagName,
  properties,
  children,
});
export const text = (value: string): Text => ({ type: "text", value });

/** Elements whose text is never scanned for wiki links, mentions or time links. */
const OPAQUE = new Set(["a", "code", "pre", "kbd", "samp", "script", "style"]);

/** Every element of the tree in document order. */
export function elements(tree: Root | Element): Element[] {
  const out: Element[] = [];
  const stack: Nodes[] = [...tree.children].reverse();
  while (stack.length) {
    const node = stack.pop()!;
    if (node.type !== "element") continue;
    out.push(node);
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
  }
  return out;
}

/**
 * Replaces elements: `replace` returns the nodes to put in an element's place, or undefined to keep it (and walk
 * into it). Replacements are not walked again.
 */
export function replaceElements(tree: Root, replace: (el: Element, parent: Parents) => ElementContent[] | undefined): void {
  const stack: Parents[] = [tree];
  while (stack.length) {
    const parent = stack.pop()!;
    let changed = false;
    const next: (typeof parent.children)[number][] = [];
    for (const child of parent.children) {
      if (child.type !== "element") {
        next.push(child);
        continue;
      }
      const replacement = replace(child, parent);
      if (replacement) {
        next.push(...replacement);
        changed = true;
      } else {
        next.push(child);
        stack.push(child);
      }
    }
    if (changed) parent.children = next;
  }
}

/** The text content of a subtree. */
export function textOf(node: Nodes): string {
  let out = "";
  const stack: Nodes[] = [node];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === "text") out += n.value;
    else if ("children" in n) for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]!);
  }
  return out;
}

export type TextReplacer = (match: RegExpExecArray) => ElementContent[] | undefined;

/**
 * Replaces matches of `pattern` (global) in text nodes outside links and code with what `replace` returns
 * (undefined leaves the match as it was).
 */
export function replaceText(tree: Root, pattern: RegExp, replace: TextReplacer): void {
  const stack: Parents[] = [tree];
  while (stack.length) {
    const parent = stack.pop()!;
    const next: (typeof parent.children)[number][] = [];
    let changed = false;
    for (const child of parent.children) {
      if (child.type === "element") {
        if (!OPAQUE.has(child.tagName)) stack.push(child);
        next.push(child);
        continue;
      }
      if (child.type !== "text") {
        next.push(child);
        continue;
      }
      const value = child.value;
      pattern.lastIndex = 0;
      let last = 0;
      let m: RegExpExecArray | null;
      const parts: ElementContent[] = [];
      let replaced = false;
      while ((m = pattern.exec(value))) {
        if (m[0].length === 0) {
          pattern.lastIndex++;
          continue;
        }
        const replacement = replace(m);
        if (!replacement) continue;
        replaced = true;
        if (m.index > last) parts.push(text(value.slice(last, m.index)));
        parts.push(...replacement);
        last = m.index + m[0].length;
      }
      if (!replaced) {
        next.push(child);
        continue;
      }
      if (last < value.length) parts.push(text(value.slice(last)));
      next.push(...parts);
      changed = true;
    }
    if (changed) parent.children = next;
  }
}

export function hasClass(el: Element, name: string): boolean {
  const c = el.properties.className;
  return Array.isArray(c) ? c.includes(name) : c === name;
}
