import { readNotebook, type Cell, type Notebook, type Output } from "@course/notebook";
import { createElement, type ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { parseAnsi, stripAnsi } from "~/components/notebook/ansi";
import { NotebookView, type NotebookViewProps } from "~/components/notebook/notebook-view";

let ids = 0;
const code = (source: string, outputs: Output[] = [], execution_count: number | null = 1): Cell => ({
  id: `c${++ids}`,
  cell_type: "code",
  metadata: {},
  source,
  outputs,
  execution_count,
});
const markdown = (source: string, attachments?: Record<string, Record<string, unknown>>): Cell => ({
  id: `m${++ids}`,
  cell_type: "markdown",
  metadata: {},
  source,
  ...(attachments ? { attachments } : {}),
});
const notebook = (cells: Cell[]): Notebook => ({
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: "typescript", display_name: "TypeScript" }, language_info: { name: "typescript" } },
  cells,
});
const display = (data: Record<string, unknown>, metadata: Record<string, unknown> = {}): Output => ({ output_type: "display_data", data, metadata });
const render = (nb: Notebook, props: Partial<NotebookViewProps> = {}) => renderToStaticMarkup(createElement(NotebookView, { notebook: nb, ...props }));
/** The visible text of markup (tags removed, entities decoded), to check what a reader sees. */
const visibleText = (html: string) =>
  html
    .replace(/<[^>]*>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&amp;/g, "&");

const BANNED_TAGS = /^(script|iframe|frame|object|embed|form|input|button|textarea|select|style|link|meta|base|svg|math|template)$/i;

/** Every tag of the markup, with its attributes: only tags can run script or escape the page, escaped text cannot. */
function tags(html: string) {
  return [...html.matchAll(/<([a-zA-Z][\w-]*)((?:\s+[^\s=>/]+(?:="[^"]*")?)*)\s*\/?>/g)].map((m) => ({
    name: m[1]!,
    attrs: [...m[2]!.matchAll(/\s+([^\s=>/]+)(?:="([^"]*)")?/g)].map((a) => ({ name: a[1]!.toLowerCase(), value: (a[2] ?? "").replace(/&amp;/g, "&") })),
  }));
}

/** No tag that runs script, loads a frame or a form, or styles the page; no handler, no script URL, no style attribute. */
function expectNeutralised(html: string) {
  // Anything that looks like a tag but did not parse as one would hide from the checks below.
  expect(html.match(/</g)?.length ?? 0).toBe(html.match(/<\/?[a-zA-Z][\w-]*(?:\s+[^\s=>/]+(?:="[^"]*")?)*\s*\/?>/g)?.length ?? 0);
  for (const tag of tags(html)) {
    expect(tag.name, `<${tag.name}>`).not.toMatch(BANNED_TAGS);
    for (const attr of tag.attrs) {
      expect(attr.name, `<${tag.name} ${attr.name}>`).not.toMatch(/^on|^style$|^formaction$|^srcdoc$|^xlink:href$/);
      if (["href", "src", "action", "cite", "poster", "background"].includes(attr.name)) {
        expect(attr.value, `<${tag.name} ${attr.name}>`).toMatch(/^(https:\/\/|http:\/\/|mailto:|#|data:image\/(png|jpeg|gif|webp|svg\+xml)[;,])/);
      }
      if (tag.name === "img" && attr.name === "src") expect(attr.value).toMatch(/^(https:\/\/|data:image\/)/);
    }
  }
}

const HOSTILE = [
  "<script>alert('md')</script>",
  '<img src="x" onerror="alert(1)">',
  '<img src="https://example.com/a.png" onerror="alert(2)" alt="ok image">',
  "[click me](javascript:alert(3))",
  '<a href="JaVaScRiPt:alert(4)">mixed case</a>',
  '<a href="jav&#x09;ascript:alert(5)">entity</a>',
  '<iframe src="https://evil.example/"></iframe>',
  '<form action="https://evil.example/"><input name="password"><button formaction="javascript:alert(6)">go</button></form>',
  "<style>body { display: none }</style>",
  '<div style="position:fixed;inset:0;background:url(https://evil.example/x)">overlay</div>',
  '<svg onload="alert(7)"><circle r="5"/></svg>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(8)></style></mglyph></table></mtext></math>',
  '<object data="https://evil.example/x.swf"></object><embed src="https://evil.example/e">',
  '<img src="http://insecure.example/tracker.png" alt="plain http">',
  '<img src="data:text/html;base64,PHNjcmlwdD5hbGVydCg5KTwvc2NyaXB0Pg==" alt="html data">',
  '<details open ontoggle="alert(10)"><summary>s</summary>d</details>',
  '<base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=https://evil.example">',
].join("\n\n");

describe("NotebookView neutralises hostile content", () => {
  it("sanitizes markdown cells: no scripts, handlers, javascript: links, frames, forms or styles survive", () => {
    const html = render(notebook([markdown(`# Title\n\nSome **bold** text and [a link](https://docs.example/page).\n\n${HOSTILE}`)]));
    expectNeutralised(html);
    // What is safe is kept, and headings move down a level so the page keeps its own <h1>.
    expect(html).toContain("<h2>Title</h2>");
    expect(html).toContain("<strong>bold</strong>");
    expect(html).toContain('<a href="https://docs.example/page" rel="noopener noreferrer nofollow ugc">a link</a>');
    // Images from other sites are never fetched by readers' browsers: they become links.
    expect(html).toContain('<a href="https://example.com/a.png" rel="noopener noreferrer nofollow ugc" class="external-image">image: ok image</a>');
    expect(html).not.toMatch(/<img[^>]*insecure\.example/);
    expect(visibleText(html)).toContain("click me");
    expect(visibleText(html)).not.toContain("alert('md')");
  });

  it("sanitizes text/html outputs the same way, and falls back to text/plain when nothing safe is left", () => {
    const html = render(
      notebook([
        code("display.html(x)", [
          display({ "text/html": `<p>table:</p><table><tr><th>a</th></tr><tr><td>1</td></tr></table>${HOSTILE}`, "text/plain": "plain" }),
          display({ "text/html": "<script>steal()</script><style>*{}</style>", "text/plain": "the plain fallback" }),
        ]),
      ]),
    );
    expectNeutralised(html);
    expect(html).toContain("<table><tbody><tr><th>a</th></tr><tr><td>1</td></tr></tbody></table>");
    expect(html).toContain('data-mime="text/plain"');
    expect(visibleText(html)).toContain("the plain fallback");
    expect(html).not.toContain("steal()");
  });

  it("shows SVG only as an <img> data URL, so its scripts and onload handlers never run", () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)" width="10" height="10"><script>alert(2)</script><rect width="10" height="10" fill="red"/></svg>';
    const html = render(notebook([code("display.svg(s)", [display({ "image/svg+xml": svg, "text/plain": "<Chart>" })])]));
    expectNeutralised(html);
    const src = /<img src="data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)"/.exec(html)?.[1];
    expect(src).toBeDefined();
    expect(Buffer.from(src!, "base64").toString("utf8")).toBe(svg);
    expect(html).toMatch(/<figure[^>]*><img [^>]*alt="Image output 1 of cell 1: &lt;Chart&gt;"/);
  });

  it("ignores image data that is not base64 instead of building a URL from it", () => {
    const html = render(notebook([code("x", [display({ "image/png": '" onerror="alert(1)', "text/plain": "fallback text" })])]));
    expectNeutralised(html);
    expect(html).not.toContain("data:image/png");
    expect(visibleText(html)).toContain("fallback text");
  });

  it("escapes code, raw cells and text outputs instead of interpreting them", () => {
    const nb = notebook([
      code('const s = "<script>alert(1)</script>";', [{ output_type: "stream", name: "stdout", text: "<img src=x onerror=alert(1)>\n" }]),
      { id: "r1", cell_type: "raw", metadata: {}, source: "<b>raw</b> <script>x()</script>" },
    ]);
    const html = render(nb);
    expectNeutralised(html);
    expect(visibleText(html)).toContain('"<script>alert(1)</script>"');
    expect(visibleText(html)).toContain("<b>raw</b> <script>x()</script>");
    expect(html).toMatch(/<pre[^>]*>&lt;b&gt;raw&lt;\/b&gt;/);
  });
});

describe("NotebookView renders every kind of cell and output", () => {
  const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

  it("shows In [n] prompts with execution counts, Out [n] for results, and highlights TypeScript on the server", () => {
    const nb = notebook([
      code("const answer: number = 42;\nanswer", [{ output_type: "execute_result", execution_count: 3, data: { "text/plain": "42" }, metadata: {} }], 3),
      code("// not run yet", [], null),
    ]);
    const html = render(nb);
    expect(html).toContain("In [3]:");
    expect(html).toContain("Out [3]:");
    expect(html).toContain("In [ ]:");
    expect(html).toContain('<span class="hljs-keyword">const</span>');
    expect(html).toContain('<span class="hljs-built_in">number</span>');
    expect(html).toContain('<span class="hljs-comment">// not run yet</span>');
    expect(html).toMatch(/<code class="hljs language-typescript">/);
    expect(html).toContain('aria-label="Cell 1, code, In [3]"');
  });

  it("renders stdout and stderr streams, stderr marked and styled apart, and applies carriage returns", () => {
    const html = render(
      notebook([
        code("log()", [
          { output_type: "stream", name: "stdout", text: ["epoch 1\n", "progress 10%\rprogress 50%\rprogress 100%\n"] },
          { output_type: "stream", name: "stderr", text: "warning: careful\n" },
        ]),
      ]),
    );
    expect(html).toMatch(/data-output-type="stream" data-stream="stdout"/);
    expect(html).toMatch(/data-output-type="stream" data-stream="stderr"[\s\S]*Standard error:[\s\S]*warning: careful/);
    expect(visibleText(html)).toContain("epoch 1\nprogress 100%\n");
    expect(html).not.toContain("progress 10%");
  });

  it("chooses the richest safe MIME type: PNG and JPEG as data URLs in <figure> with alt text, then HTML, markdown, JSON, text", () => {
    const html = render(
      notebook([
        code("plots()", [
          display({ "image/png": [PNG.slice(0, 20), PNG.slice(20)], "text/plain": "<Figure 1x1>" }, { "image/png": { width: 320, height: 200 } }),
          display({ "image/jpeg": "/9j/4AAQSkZJRgABAQ==" }),
          display({ "text/html": "<b>rich</b>", "text/plain": "poor" }),
          display({ "text/markdown": "## Result\n\n*italic*", "text/plain": "md plain" }),
          display({ "application/json": { a: [1, 2] }, "text/plain": "json plain" }),
          display({ "text/latex": "$x^2$" }),
          display({ "application/x-unknown": "??" }),
        ]),
      ]),
    );
    expect(html).toContain(`<figure`);
    expect(html).toContain(`src="data:image/png;base64,${PNG}" alt="Image output 1 of cell 1: &lt;Figure 1x1&gt;" width="320" height="200"`);
    expect(html).toContain('src="data:image/jpeg;base64,/9j/4AAQSkZJRgABAQ==" alt="Image output 2 of cell 1"');
    expect(html).toContain("<b>rich</b>");
    expect(html).not.toContain("poor");
    expect(html).toContain("<h3>Result</h3>");
    expect(html).toContain("<em>italic</em>");
    expect(visibleText(html)).toContain('{\n  "a": [\n    1,\n    2\n  ]\n}');
    expect(visibleText(html)).toContain("$x^2$");
    expect(visibleText(html)).toContain("Output of type application/x-unknown is not shown here.");
  });

  it("turns an ANSI-coloured traceback into clean text with coloured spans", () => {
    const traceback = [
      "\x1b[0;31m---------------------------------------------------------------------------\x1b[0m",
      "\x1b[0;31mTypeError\x1b[0m                                 Traceback (most recent call last)",
      "Cell \x1b[0;32mIn[2], line 4\x1b[0m",
      "\x1b[1;32m----> 4\x1b[0m x\x1b[38;5;241m.\x1b[39mfoo()",
      "\x1b]8;;https://example.com\x07link\x1b]8;;\x07 \x1b[2K\x1b[1A\x07bell",
      "\x1b[0;31mTypeError\x1b[0m: x.foo is not a function",
    ];
    const html = render(
      notebook([code("x.foo()", [{ output_type: "error", ename: "TypeError", evalue: "x.foo is not a function", traceback }], 2)]),
    );
    expect(html).not.toContain("\x1b");
    expect(html).not.toMatch(/\[0;31m|\[0m|\[38;5|\]8;;/);
    const text = visibleText(html);
    expect(text).toContain("TypeError: x.foo is not a function");
    expect(text).toContain("Cell In[2], line 4");
    expect(text).toContain("----> 4 x.foo()");
    expect(text).toContain("link bell");
    expect(html).toContain('<span data-fg="red">TypeError</span>');
    expect(html).toContain('<span data-fg="green" data-bold="">----&gt; 4</span>');
    expect(html).toContain('<span style="color:rgb(98,98,98)">.</span>');
    expect(html).toMatch(/role="group" aria-label="Error in cell 1: TypeError"/);
  });

  it("collapses long text outputs after N lines behind a <details> that holds the rest", () => {
    const long = Array.from({ length: 200 }, (_, i) => `line ${i + 1}\n`).join("");
    const html = render(notebook([code("spam()", [{ output_type: "stream", name: "stdout", text: long }])]), { collapseAfterLines: 50 });
    const [shown, hidden] = html.split("<details>");
    expect(hidden).toBeDefined();
    expect(shown).toContain("line 50\n");
    expect(shown).not.toContain("line 51\n");
    expect(hidden).toContain("<summary>Show all 200 lines (150 more)</summary>");
    expect(hidden).toContain("line 51\n");
    expect(hidden).toContain("line 200\n");
    const short = render(notebook([code("ok()", [{ output_type: "stream", name: "stdout", text: "a\nb\nc\n" }])]), { collapseAfterLines: 50 });
    expect(short).not.toContain("<details>");
  });

  it("gives each cell an anchor, marks the highlighted cell and renders extra content under a cell", () => {
    const nb = notebook([markdown("intro"), code("1"), { id: "r", cell_type: "raw", metadata: {}, source: "raw text" }]);
    const html = render(nb, {
      highlightCell: 1,
      renderCellExtra: (i: number): ReactNode => (i === 1 ? createElement("aside", { "data-testid": "comment" }, `comment on ${i}`) : null),
    });
    expect(html).toContain('id="cell-0"');
    expect(html).toContain('id="cell-1"');
    expect(html).toContain('id="cell-2"');
    expect(html).toMatch(/<article id="cell-1"[^>]*data-highlighted="true"[^>]*aria-current="true"/);
    expect(html).not.toMatch(/<article id="cell-0"[^>]*data-highlighted/);
    expect(html.match(/data-testid="comment"/g)).toHaveLength(1);
    expect(html).toMatch(/id="cell-1"[\s\S]*comment on 1[\s\S]*id="cell-2"/);
  });

  it("resolves markdown attachment images to data URLs", () => {
    const html = render(notebook([markdown("![a cat](attachment:cat.png)", { "cat.png": { "image/png": PNG } })]));
    expect(html).toContain(`<img alt="a cat" src="data:image/png;base64,${PNG}" />`);
  });

  it("renders a notebook read from disk by @course/notebook", async () => {
    const { readFile } = await import("node:fs/promises");
    const file = new URL("../../../packages/notebook/test/fixtures/v4.5.ipynb", import.meta.url);
    const nb = readNotebook(await readFile(file));
    const html = render(nb);
    expect(html.match(/<article /g)).toHaveLength(nb.cells.length);
  });
});

describe("ANSI parsing", () => {
  it("keeps text, drops every escape and control character, and tracks colours", () => {
    expect(stripAnsi("\x1b[1;31mred\x1b[0m plain\x1b[K\x00\x08")).toBe("red plain");
    expect(parseAnsi("\x1b[31mA\x1b[1mB\x1b[22;39mC")).toEqual([
      { text: "A", style: { fg: "red" } },
      { text: "B", style: { fg: "red", bold: true } },
      { text: "C", style: {} },
    ]);
    expect(parseAnsi("\x1b[38;2;1;2;3mX")).toEqual([{ text: "X", style: { fg: "rgb(1,2,3)" } }]);
  });
});
