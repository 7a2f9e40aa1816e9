// Syntax highlighting with lowlight (highlight.js's grammars producing a syntax tree): the same `hljs-*` classes
// the site's CSS styles, on the server, synchronous, no network. One instance serves code fences in markdown and
// notebooks' code cells.
import type { Root } from "hast";
import { toHtml } from "hast-util-to-html";
import { common, createLowlight } from "lowlight";
import { elements, textOf } from "./hast";

/** `&lt;` rather than `&#x3C;`: the same meaning, easier to read in page source and tests. */
export const HTML_OPTIONS = { closeSelfClosing: true, characterReferences: { useNamedReferences: true } } as const;

const lowlight = createLowlight(common);
lowlight.registerAlias({ typescript: ["tsx", "mts", "cts"], javascript: ["node", "mjs", "cjs"], bash: ["shell"], python: ["python3", "ipython"] });

/** A grammar name for a language string (untrusted: a code fence's info), or undefined when there is none. */
export function highlightLanguage(language: string | undefined): string | undefined {
  if (!language) return undefined;
  const name = language.trim().toLowerCase();
  if (!/^[\w+#.-]{1,40}$/.test(name) || !lowlight.registered(name)) return undefined;
  return name;
}

/** Code -> HTML made only of escaped text and `<span class="hljs-...">`. */
export function highlightCode(code: string, language: string | undefined): string {
  const grammar = highlightLanguage(language);
  if (!grammar) return toHtml({ type: "text", value: code }, HTML_OPTIONS);
  return toHtml(lowlight.highlight(grammar, code), HTML_OPTIONS);
}

/** Highlights `<pre><code class="language-x">` blocks of a sanitized tree in place. */
export function highlightFences() {
  return (tree: Root) => {
    for (const pre of elements(tree)) {
      if (pre.tagName !== "pre") continue;
      const code = pre.children.find((c) => c.type === "element" && c.tagName === "code");
      if (!code || code.type !== "element") continue;
      const cls = Array.isArray(code.properties.className) ? code.properties.className : [];
      const language = cls.map(String).find((c) => c.startsWith("language-"))?.slice("language-".length);
      const grammar = highlightLanguage(language);
      if (!grammar) continue;
      code.children = lowlight.highlight(grammar, textOf(code)).children as typeof code.children;
      code.properties.className = ["hljs", `language-${grammar}`];
    }
  };
}
