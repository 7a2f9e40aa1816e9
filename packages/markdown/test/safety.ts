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
