import { renderMarkdown } from "@course/markdown";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { wikitextToMarkdown } from "../src/index";

/** Text a reader sees: tags dropped, entities decoded, whitespace collapsed, our invisible word joiners gone. */
function visibleText(html: string): string {
  return html
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/\u2060/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

/** Elements our conversion may produce (hljs spans included); anything else would be HTML the page never meant. */
const PRODUCED = new Set(
  "p h1 h2 h3 h4 h5 h6 ul ol li strong em del code pre a img table thead tbody tr th td blockquote hr br sub sup kbd small ins mark var samp q abbr cite dfn span".split(" "),
);

describe("plain text survives conversion", () => {
  it("shows a line without wiki markup exactly as written, markdown syntax and all", () => {
    // Letters that make no HTML tag MediaWiki knows (`<b>` is markup, `<x>` is text), nor a URL scheme.
    const alphabet = fc.constantFrom(..."xy .,:!?()*_`]<>|~#+-=\\/@$%^".split(""));
    const line = fc.array(alphabet, { minLength: 1, maxLength: 60 }).map((chars) => `x ${chars.join("")}`);
    fc.assert(
      fc.property(line, (text) => {
        const { markdown, unconverted } = wikitextToMarkdown(text);
        expect(unconverted).toEqual([]);
        expect(visibleText(renderMarkdown(markdown).html)).toBe(text.replace(/\s+/g, " ").trim());
      }),
      { numRuns: 400 },
    );
  });
});

describe("wikitext soup", () => {
  const token = fc.constantFrom(
    "''", "'''", "[[", "]]", "[[A|b]]", "{{", "}}", "{{T|x}}", "{|", "|}", "|-", "||", "!!", "\n", "\n\n", "\n*", "\n#", "\n:", "\n;",
    "\n ", "\n==", "==", "<nowiki>", "</nowiki>", "<pre>", "</pre>", "<code>", "</code>", "<ref>", "</ref>", "<!--", "-->",
    "<div>", "<details>", "<h1>", "<img src=x onerror=alert(1)>", "<a href=javascript:alert(1)>", "<script>", "<table>",
    "<b>", "</b>", "<br>", "<sup>", "[http://a.example/ x]", "https://a.example/p", "__TOC__", "~~~~", "----", "&lt;", "&",
    "text", " ", "|", "*", "_", "`", "```", "#", ">", "[", "]", "@bob", "[[File:x.png|thumb|c]]", "[[Category:C]]",
  );
  const soup = fc.array(token, { maxLength: 40 }).map((t) => t.join(""));

  it("converts anything without throwing, reports real lines, and renders no HTML it did not mean", () => {
    fc.assert(
      fc.property(soup, (text) => {
        const { markdown, unconverted } = wikitextToMarkdown(text);
        const lines = text.split("\n").length;
        for (const u of unconverted) {
          expect(u.line).toBeGreaterThanOrEqual(1);
          expect(u.line).toBeLessThanOrEqual(lines);
          expect(text.replace(/\r\n?/g, "\n")).toContain(u.source);
        }
        const html = renderMarkdown(markdown, { user: () => ({ url: "/users/bob" }) }).html;
        for (const m of html.matchAll(/<([a-z][a-z0-9]*)/g)) expect(PRODUCED, `<${m[1]}> in ${JSON.stringify(markdown)}`).toContain(m[1]);
        expect(html).not.toContain('class="mention"');
      }),
      { numRuns: 200 },
    );
  });
});

describe("long and hostile pages stay fast", () => {
  const n = 100_000;
  const cases: Record<string, string> = {
    "unclosed {{": "{{a ".repeat(n / 4),
    "unclosed [[": "[[a ".repeat(n / 4),
    "nested [[": "[[".repeat(n / 2) + "]]".repeat(n / 2),
    "nested {{": "{{".repeat(n / 2) + "}}".repeat(n / 2),
    "unclosed [http": "[http://a.b ".repeat(n / 12),
    "unclosed <pre>": "<pre>".repeat(n / 5),
    "unclosed <ref>": "<ref>".repeat(n / 5),
    quotes: "''a'''b".repeat(n / 7),
    "list lines": "* a\n".repeat(n / 4),
    "table rows": `{|\n${"| a || b\n|-\n".repeat(n / 12)}|}`,
    underscores: "_a_".repeat(n / 3),
  };
  for (const [name, text] of Object.entries(cases)) {
    it(`${name} (100 KB)`, () => {
      const started = performance.now();
      wikitextToMarkdown(text);
      // Linear work takes well under a second here; a quadratic case took minutes. The margin is for a busy machine.
      expect(performance.now() - started).toBeLessThan(8_000);
    });
  }
});
