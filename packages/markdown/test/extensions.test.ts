import { describe, expect, it } from "vitest";
import { highlightCode, renderHtml, renderMarkdown, type RenderOptions } from "../src/index";

const options: RenderOptions = {
  user: (name) => (name === "alice" ? { url: "/users/alice" } : undefined),
  lesson: (name) => (name === "Lesson 1" ? { slug: "lesson-1", title: "Lesson 1" } : undefined),
  wikiPage: (title) => ({ url: `/wiki/${title.replace(/ /g, "_")}`, exists: title !== "Missing page" }),
};

describe("wiki links", () => {
  it("links existing pages, marks missing ones red, takes labels, and reports them", () => {
    const r = renderMarkdown("See [[Training tips]], [[Missing page|this]] and `[[not in code]]`.", options);
    expect(r.html).toContain('<a href="/wiki/Training_tips" class="wiki-link">Training tips</a>');
    expect(r.html).toContain('<a href="/wiki/Missing_page" class="wiki-link wiki-link-missing" title="Missing page (page does not exist)">this</a>');
    expect(r.html).toContain("<code>[[not in code]]</code>");
    expect(r.found.wikiLinks).toEqual([
      { title: "Training tips", url: "/wiki/Training_tips", exists: true },
      { title: "Missing page", url: "/wiki/Missing_page", exists: false },
    ]);
  });

  it("uses /wiki/<Title> without a resolver and ignores a resolver's unsafe URL", () => {
    expect(renderMarkdown("[[A page]]").html).toContain('<a href="/wiki/A_page" class="wiki-link">A page</a>');
    const r = renderMarkdown("[[X]]", { wikiPage: () => ({ url: "javascript:alert(1)", exists: true }) });
    expect(r.html).toBe("<p>[[X]]</p>");
  });

  it("records a hidden link (a category) but shows nothing, dropping the paragraph it leaves empty", () => {
    const hide: RenderOptions = { wikiPage: (title) => ({ url: `/wiki/${title.replace(/ /g, "_")}`, exists: true, hidden: title.startsWith("Category:") }) };
    const r = renderMarkdown("Text with [[Category:Tips]] inside.\n\n[[Category:Lesson 1]]\n\n[[Category:A]] [[Category:B]]\n\nEnd [[Page]].", hide);
    expect(r.html).toBe('<p>Text with  inside.</p>\n<p>End <a href="/wiki/Page" class="wiki-link">Page</a>.</p>');
    expect(r.found.wikiLinks.map((l) => l.title).sort()).toEqual(["Category:A", "Category:B", "Category:Lesson 1", "Category:Tips", "Page"]);
    // MediaWiki's leading colon: a link to the namespaced page, shown without the colon
    expect(renderMarkdown("[[:Category:Tips]]", hide).html).toBe('<p><a href="/wiki/:Category:Tips" class="wiki-link">Category:Tips</a></p>');
  });
});

describe("mentions", () => {
  it("links known users, leaves unknown names and e-mail addresses as text", () => {
    const r = renderMarkdown("Thanks @alice and @bob, mail me at me@alice.org", options);
    expect(r.html).toBe('<p>Thanks <a href="/users/alice" class="mention">@alice</a> and @bob, mail me at <a href="mailto:me@alice.org" rel="noopener noreferrer nofollow ugc">me@alice.org</a></p>');
    expect(r.found.mentions).toEqual([{ username: "alice", url: "/users/alice" }]);
  });
});

describe("video-time links", () => {
  it("links a lesson at a second with data-video-time, in long and short forms", () => {
    const r = renderMarkdown("[[Lesson 1@4:40]], [[Lesson 1@1:02:03|the end]], [[@0:30]] and @4:40; [[Nope@1:00]]", { ...options, currentLesson: "lesson-2" });
    expect(r.html).toContain('<a href="/lessons/lesson-1?t=280" class="video-time" data-video-time="280">Lesson 1 @ 4:40</a>');
    expect(r.html).toContain('<a href="/lessons/lesson-1?t=3723" class="video-time" data-video-time="3723">the end</a>');
    expect(r.html).toContain('<a href="/lessons/lesson-2?t=30" class="video-time" data-video-time="30">0:30</a>');
    expect(r.html).toContain('<a href="/lessons/lesson-2?t=280" class="video-time" data-video-time="280">4:40</a>');
    expect(r.html).toContain("[[Nope@1:00]]");
    expect(r.found.videoTimes.map((v) => [v.lesson, v.seconds])).toEqual([["lesson-1", 280], ["lesson-1", 3723], ["lesson-2", 30], ["lesson-2", 280]]);
  });

  it("gives each time link the words of its line: paragraph, list item without its nested list, table cell", () => {
    const text = "Intro @0:30 here\n\n- **Teaching** [[@1:23]] starts\n  - nested @2:00 item\n\n| a | b |\n|---|---|\n| cell @3:00 | x |\n\n`@9:99` in code";
    const r = renderMarkdown(text, { ...options, currentLesson: "lesson-1" });
    expect(r.found.videoTimes.map((v) => [v.seconds, v.line]).sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual([
      [30, "Intro here"],
      [83, "Teaching starts"],
      [120, "nested item"],
      [180, "cell"],
    ]);
  });

  it("returns the site images it kept, not foreign or page-relative ones", () => {
    const r = renderMarkdown("![a cat](/media/abc/Cat.png) ![x](https://evil.example/x.png) ![y](y.png)");
    expect(r.found.images).toEqual([{ src: "/media/abc/Cat.png", alt: "a cat" }]);
  });

  it("lists the links that leave the site, foreign images and quoted links marked, not the site's own", () => {
    const r = renderMarkdown(
      "[a](https://a.example) <https://b.example/x> ![pic](https://c.example/p.png) [here](/wiki/Home) @alice [[Page]]\n\n> [!quote @alice](/forum/t/1#p2)\n> see https://d.example\n",
      options,
    );
    expect(r.found.links).toEqual([
      { href: "https://a.example", image: false, quoted: false },
      { href: "https://b.example/x", image: false, quoted: false },
      { href: "https://c.example/p.png", image: true, quoted: false },
      { href: "https://d.example", image: false, quoted: true },
    ]);
  });

  it("leaves short forms as text when the text belongs to no lesson", () => {
    expect(renderMarkdown("at @4:40", options).html).toBe("<p>at @4:40</p>");
  });
});

describe("quotes", () => {
  it("attributes a quote to a user with a link back to the source", () => {
    const r = renderMarkdown("> [!quote @alice](/forum/t/12#p3)\n> The loss went down.\n\nI agree.", options);
    expect(r.html).toContain('<blockquote class="quote" cite="/forum/t/12#p3"><p class="quote-source"><a href="/users/alice" class="mention">@alice</a> <a href="/forum/t/12#p3" class="quote-link">wrote</a>:</p>');
    expect(r.html).toContain("The loss went down.");
    expect(r.found.quotes).toEqual([{ author: "@alice", username: "alice", source: "/forum/t/12#p3" }]);
  });

  it("takes a page title or a bare attribution too", () => {
    expect(renderMarkdown("> [!quote Training tips](/wiki/Training_tips)\n> text").html).toContain('<p class="quote-source">Training tips <a href="/wiki/Training_tips" class="quote-link">wrote</a>:</p>');
    expect(renderMarkdown("> [!quote @nobody]\n> text", options).html).toContain('<p class="quote-source">@nobody wrote:</p>');
  });
});

describe("images", () => {
  it("keeps site images, turns foreign ones into links, and keeps data: images only when asked", () => {
    const md = "![a](/files/a.png) ![b](https://cdn.example/b.png) ![c](data:image/png;base64,iVBORw0KGgo=) ![d](data:image/svg+xml;base64,PHN2Zz4=) ![e](e.png)";
    const plain = renderMarkdown(md).html;
    expect(plain).toContain('<img alt="a" src="/files/a.png" />');
    expect(plain).toContain('<a href="https://cdn.example/b.png" rel="noopener noreferrer nofollow ugc" class="external-image">image: b</a>');
    expect(plain).not.toContain("<img alt=\"c\"");
    expect(plain).toContain("image: c");
    expect(renderMarkdown(md, { dataImages: true }).html).toContain('<img alt="c" src="data:image/png;base64,iVBORw0KGgo=" />');
    expect(renderMarkdown(md, { dataImages: true }).html).not.toContain("svg");
    expect(plain).not.toContain('src="e.png"');
  });

  it("resolves attachment: images through the caller", () => {
    const html = renderMarkdown("![cat](attachment:cat%20one.png)", { attachment: (n) => (n === "cat one.png" ? "data:image/png;base64,AAAA" : undefined) }).html;
    expect(html).toContain('<img alt="cat" src="data:image/png;base64,AAAA" />');
  });
});

describe("highlighting and options", () => {
  it("highlights fenced code with hljs classes and ignores unknown or hostile language strings", () => {
    expect(renderMarkdown("```python\ndef f(): pass\n```").html).toContain('<code class="hljs language-python"><span class="hljs-keyword">def</span>');
    expect(renderMarkdown('```js" onclick="x\nlet a\n```').html).toBe("<pre><code>let a\n</code></pre>");
    expect(highlightCode("const a = 1", "ts")).toContain('<span class="hljs-keyword">const</span>');
    expect(highlightCode("<b>", "nope")).toBe("&lt;b>");
  });

  it("demotes headings, shows raw HTML as text when asked, and sanitizes HTML input the same way", () => {
    expect(renderMarkdown("# T", { headingOffset: 1 }).html).toBe("<h2>T</h2>");
    expect(renderMarkdown("<b>x</b>", { rawHtml: false }).html).toBe("<p>&lt;b>x&lt;/b></p>");
    expect(renderHtml("<p onclick='x()'>hi <a href='https://a.example'>a</a></p>").html).toBe('<p>hi <a href="https://a.example" rel="noopener noreferrer nofollow ugc">a</a></p>');
  });

  it("keeps task list checkboxes and GFM tables", () => {
    const html = renderMarkdown("- [x] done\n\n| a |\n|---|\n| 1 |").html;
    expect(html).toContain('<input type="checkbox" checked disabled />');
    expect(html).toContain("<td>1</td>");
  });
});

describe("headings", () => {
  it("reports headings, and with headingIds gives each a unique anchor the user cannot forge", () => {
    const text = '## Data *loaders*\n\ntext\n\n### Data loaders\n\n## Data loaders\n\n<h2 id="h-data-loaders">raw</h2>';
    expect(renderMarkdown(text).found.headings.map((h) => [h.depth, h.text, h.id])).toEqual([
      [2, "Data loaders", undefined],
      [3, "Data loaders", undefined],
      [2, "Data loaders", undefined],
      [2, "raw", undefined],
    ]);
    expect(renderMarkdown(text).html).not.toContain('id="h-');
    const r = renderMarkdown(text, { headingIds: true });
    expect(r.found.headings.map((h) => h.id)).toEqual(["h-data-loaders", "h-data-loaders-2", "h-data-loaders-3", "h-raw"]);
    expect(r.html).toContain('<h2 id="h-data-loaders">Data <em>loaders</em></h2>');
    expect(r.html).toContain('<h2 id="h-raw">raw</h2>');
    expect(renderMarkdown("# Ünïcode & <b>bold</b> ?!", { headingIds: true }).found.headings[0]?.id).toBe("h-unicode-bold");
  });
});
