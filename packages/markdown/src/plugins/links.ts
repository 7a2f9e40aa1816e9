// Finishing touches on sanitized HTML: links that leave the site get rel="noopener noreferrer nofollow ugc" (no
// window.opener, no referrer, no ranking credit for user-written links); headings move down options.headingOffset
// levels; a checkbox survives only as a GFM task list item's; code-fence language classes are kept only when they
// are plain names (the language string is untrusted).
import type { Nodes, Root } from "hast";
import type { VFile } from "vfile";
import { hasClass, replaceElements } from "../hast";
import { isSameSiteUrl } from "../urls";
import { contextOf } from "./context";

export const EXTERNAL_REL = ["noopener", "noreferrer", "nofollow", "ugc"] as const;
const HEADING = /^h([1-6])$/;
const LANGUAGE_CLASS = /^language-[\w+#.-]{1,40}$/;

export function finish() {
  return (tree: Root, file: VFile) => {
    const offset = Math.max(0, Math.min(5, Math.floor(contextOf(file).options.headingOffset ?? 0)));
    replaceElements(tree, (el, parent) => {
      if (el.tagName === "a" && typeof el.properties.href === "string" && !isSameSiteUrl(el.properties.href)) {
        el.properties.rel = [...EXTERNAL_REL];
      }
      const heading = HEADING.exec(el.tagName);
      if (heading && offset) el.tagName = `h${Math.min(6, Number(heading[1]) + offset)}`;
      if (el.tagName === "input") {
        const taskItem = parent.type === "element" && parent.tagName === "li" && hasClass(parent, "task-list-item");
        if (!taskItem || el.properties.type !== "checkbox") return [];
      }
      if (el.tagName === "code" && el.properties.className !== undefined) {
        const classes = Array.isArray(el.properties.className) ? el.properties.className : [el.properties.className];
        const kept = classes.filter((c) => typeof c === "string" && LANGUAGE_CLASS.test(c));
        if (kept.length) el.properties.className = kept.slice(0, 1);
        else delete el.properties.className;
      }
      // The sanitizer leaves `class=""` where it removed every class.
      if (Array.isArray(el.properties.className) && el.properties.className.length === 0) delete el.properties.className;
      return undefined;
    });
  };
}

/**
 * Lists the links that leave the site (found.links), in document order, after finish() marked them: what a forum
 * counts against a new member's link and image limits. Links inside a quote are marked, since quoting someone else's
 * post should not count their links against the quoter.
 */
export function outboundLinks() {
  return (tree: Root, file: VFile) => {
    const { found } = contextOf(file);
    const stack: [Nodes, boolean][] = [[tree, false]];
    while (stack.length) {
      const [node, quoted] = stack.pop()!;
      if (node.type === "element" && node.tagName === "a" && typeof node.properties.href === "string" && !isSameSiteUrl(node.properties.href)) {
        found.links.push({ href: node.properties.href, image: hasClass(node, "external-image"), quoted });
      }
      if (!("children" in node)) continue;
      const inQuote = quoted || (node.type === "element" && node.tagName === "blockquote" && hasClass(node, "quote"));
      for (let i = node.children.length - 1; i >= 0; i--) stack.push([node.children[i]!, inQuote]);
    }
  };
}
