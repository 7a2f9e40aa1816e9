// What "safe" means for rendered HTML, checked the way a browser reads it (parse5, the HTML standard's parser).
import type { Element, Root } from "hast";
import { fromHtml } from "hast-util-from-html";
import { toHtml } from "hast-util-to-html";
import { expect } from "vitest";

const BANNED_TAGS = new Set([
  "script", "iframe", "frame", "frameset", "object", "embed", "applet", "style", "link", "meta", "base", "form", "button",
  "textarea", "select", "option", "svg", "math", "template", "noscript", "video", "audio", "source", "picture", "track",
  "marquee", "isindex", "title", "xmp", "plaintext", "noembed", "noframes", "map", "area", "portal", "body", "html", "head",
]);
const BANNED_ATTRIBUTES = /^(on.*|style|srcdoc|srcset|formaction|ping|poster|background|xlink:href|action|data|codebase|dynsrc|lowsrc)$/i;
const SCRIPT_SCHEME = /^(?:javascript|vbscript|livescript|data):/i;

// eslint-disable-next-line no-control-regex
const browserUrl = (url: string) => url.replace(/[\t\n\r]/g, "").replace(/^[\u0000-\u0020]+/, "");

function walk(node: Root | Element, visit: (el: Element, parent: Root | Element) => void) {
  const stack: (Root | Element)[] = [node];
  while (stack.length) {
    const n = stack.pop()!;
    for (const c of n.children) {
      if (c.type !== "element") continue;
      visit(c, n);
      stack.push(c);
      if (c.content) stack.push(c.content);
    }
  }
}

/** Fails the test when `html` could run script, frame, style, submit or fetch from another host. */
export function expectSafe(html: string, opts: { dataImages?: boolean } = {}) {
  const tree = fromHtml(html, { fragment: true });
  walk(tree, (el, parent) => {
    expect(BANNED_TAGS.has(el.tagName), `<${el.tagName}> in ${html.slice(0, 300)}`).toBe(false);
    if (el.tagName === "input") {
      expect(parent.type === "element" && parent.tagName === "li" && el.properties.type === "checkbox" && el.properties.disabled === true).toBe(true);
    }
    for (const [name, value] of Object.entries(el.properties)) {
      const attr = name.toLowerCase();
      expect(BANNED_ATTRIBUTES.test(attr), `<${el.tagName} ${name}> in ${html.slice(0, 300)}`).toBe(false);
      if (typeof value !== "string") continue;
      const url = browserUrl(value);
      if (["href", "src", "cite", "longdesc"].includes(attr)) {
        if (el.tagName === "img" && attr === "src") {
          const raster = /^data:image\/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=]+$/.test(url);
          expect(raster ? opts.dataImages === true : !/^[a-z][a-z0-9+.-]*:/i.test(url) && !/^[/\\]{2}/.test(url), `img src ${value}`).toBe(true);
        } else {
          expect(SCRIPT_SCHEME.test(url), `<${el.tagName} ${name}="${value}">`).toBe(false);
          expect(/^(?:https?:|mailto:|xmpp:|irc:|ircs:|[^:]*$|[^:]*[/?#])/i.test(url), `<${el.tagName} ${name}="${value}">`).toBe(true);
        }
      }
    }
  });
  // No mutation XSS: what the browser parses, serialised and parsed again, is the same tree.
  const once = toHtml(tree);
  expect(toHtml(fromHtml(once, { fragment: true }))).toBe(once);
}

/** CPU time of `fn` in milliseconds (wall time on a shared, loaded machine says little). */
export function cpuMs(fn: () => void): number {
  const start = process.cpuUsage();
  fn();
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
}

/** A 30 KB page of ordinary prose, links and code: what the machine's speed is measured on. */
const REFERENCE_PAGE = Array.from({ length: 400 }, (_, i) => `Paragraph ${i} has *some* words, a [link](https://example.com/${i}) and \`code\`.\n`).join("\n");
/** CPU time of the reference page on the machine the 1 s promise was made for (a quiet 2-core CI machine or better). */
export const REFERENCE_PAGE_MS = 200;

/**
 * The CPU budget for one render: 1 s where the reference page takes REFERENCE_PAGE_MS or less, proportionally more
 * on a slower machine (measured, best of three). Time limits are not a benchmark: this catches the superlinear
 * blow-ups the corpus exists for (9 s, 24 s) without failing on a slow or busy machine; bench:markdown has the figures.
 */
export function renderBudgetMs(render: (markdown: string) => unknown): number {
  const reference = Math.min(...[0, 1, 2].map(() => cpuMs(() => void render(REFERENCE_PAGE))));
  return 1000 * Math.max(1, reference / REFERENCE_PAGE_MS);
}
