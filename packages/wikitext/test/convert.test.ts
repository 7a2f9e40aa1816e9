import { renderMarkdown } from "@course/markdown";
import { describe, expect, it } from "vitest";
import { wikitextToMarkdown } from "../src/index";

const md = (text: string, options?: Parameters<typeof wikitextToMarkdown>[1]) => wikitextToMarkdown(text, options).markdown.trimEnd();
/** The HTML our pipeline makes of the converted text: what a reader would see. */
const html = (text: string) => renderMarkdown(md(text)).html.trim();

describe("headings", () => {
  it("maps = levels to # levels", () => {
    expect(md("== Setup ==")).toBe("## Setup");
    expect(md("===Data===")).toBe("### Data");
    expect(md("= Top =")).toBe("# Top");
  });
  it("uses the smaller side when the = do not match, keeping the extra ones as text", () => {
    expect(md("=== Odd ==")).toBe("## = Odd");
  });
  it("converts inline markup in a heading and escapes a trailing #", () => {
    expect(md("== ''Learning'' in C# ==")).toBe("## *Learning* in C\\#");
    expect(html("== Learning in C# ==")).toBe("<h2>Learning in C#</h2>");
  });
});

describe("bold and italic", () => {
  it("converts '' ''' and '''''", () => {
    expect(md("''a'' '''b''' '''''c'''''")).toBe("*a* **b** ***c***");
  });
  it("nests and closes what is left open at the end of the line", () => {
    expect(md("'''bold ''both'' bold'''")).toBe("**bold *both* bold**");
    expect(md("''never closed")).toBe("*never closed*");
  });
  it("moves spaces outside the markers so markdown still sees emphasis", () => {
    expect(md("a''' b '''c")).toBe("a **b** c");
    expect(html("a''' b '''c")).toBe("<p>a <strong>b</strong> c</p>");
  });
  it("reads four quotes as an apostrophe and bold", () => {
    expect(md("l''''amour'''")).toBe("l'**amour**");
  });
  it("converts <b>, <i>, <s> tags", () => {
    expect(md("<b>x</b> <i>y</i> <s>z</s>")).toBe("**x** *y* ~~z~~");
  });
});

describe("internal links", () => {
  it("keeps [[Page]] and [[Page|label]]", () => {
    expect(md("See [[Training tips]].")).toBe("See [[Training tips]].");
    expect(md("See [[Training tips|these tips]].")).toBe("See [[Training tips|these tips]].");
  });
  it("drops the section (our links name pages), showing it when there is no label", () => {
    expect(md("[[Training tips#Speed|speed]]")).toBe("[[Training tips|speed]]");
    expect(md("[[Training tips#Speed]]")).toBe("[[Training tips|Training tips#Speed]]");
  });
  it("capitalizes the first letter as MediaWiki does, keeping the text shown", () => {
    expect(md("[[training tips]]")).toBe("[[Training tips|training tips]]");
    expect(md("[[training tips]]", { capitalLinks: false })).toBe("[[training tips]]");
  });
  it("turns underscores into spaces", () => {
    expect(md("[[Training_tips]]")).toBe("[[Training tips]]");
    expect(md("[[Training_tips|tips]]")).toBe("[[Training tips|tips]]");
  });
  it("takes the link trail into the label", () => {
    expect(md("[[Notebook]]s")).toBe("[[Notebook|Notebooks]]");
  });
  it("applies the pipe trick", () => {
    expect(md("[[Kaggle (website)|]]")).toBe("[[Kaggle (website)|Kaggle]]");
  });
  it("shows a link to a section of the same page as its text", () => {
    expect(md("[[#Setup|the setup]]")).toBe("the setup");
  });
  it("strips markup from labels (our link labels are plain text)", () => {
    expect(md("[[Page|'''bold''' label]]")).toBe("[[Page|bold label]]");
  });
  it("renders through our pipeline as a wiki link", () => {
    const out = renderMarkdown(md("[[training tips]]"));
    expect(out.found.wikiLinks).toEqual([{ title: "Training tips", url: "/wiki/Training_tips", exists: true }]);
    expect(out.html).toContain(">training tips</a>");
  });
  it("leaves unclosed brackets as text", () => {
    expect(md("a [[b")).toBe("a \\[\u2060\\[b");
    expect(renderMarkdown(md("a [[b]")).found.wikiLinks).toEqual([]);
  });
});

describe("categories", () => {
  it("keeps [[Category:X]], drops the sort key and reports the category", () => {
    const result = wikitextToMarkdown("Text\n[[Category:Lessons]]\n[[category:computer vision|Vision]]");
    expect(result.markdown).toBe("Text\n[[Category:Lessons]]\n[[Category:Computer vision]]\n");
    expect(result.categories).toEqual(["Lessons", "Computer vision"]);
  });
  it("treats [[:Category:X]] as a link to the category page", () => {
    expect(md("[[:Category:Lessons]]")).toBe("[[Category:Lessons]]");
    expect(wikitextToMarkdown("[[:Category:Lessons|all lessons]]").categories).toEqual([]);
  });
});

describe("redirects", () => {
  it("keeps #REDIRECT [[X]] and reports the target", () => {
    const result = wikitextToMarkdown("#REDIRECT [[lesson 1#Video]]\n[[Category:Redirects]]");
    expect(result.redirect).toBe("Lesson 1");
    expect(result.markdown).toBe("#REDIRECT [[Lesson 1]]\n\n[[Category:Redirects]]\n");
  });
  it("accepts the lower-case form", () => {
    expect(wikitextToMarkdown("#redirect:[[Setup]]").redirect).toBe("Setup");
  });
});

describe("external links and URLs", () => {
  it("converts [url label] and [url]", () => {
    expect(md("[https://fast.example/docs the docs]")).toBe("[the docs](https://fast.example/docs)");
    expect(md("[https://fast.example/docs]")).toBe("<https://fast.example/docs>");
  });
  it("escapes parentheses in the URL", () => {
    expect(md("[https://en.example.org/wiki/Cat_(animal) cats]")).toBe("[cats](https://en.example.org/wiki/Cat_\\(animal\\))");
    expect(html("[https://en.example.org/wiki/Cat_(animal) cats]")).toContain('href="https://en.example.org/wiki/Cat_(animal)"');
  });
  it("links bare URLs, leaving trailing punctuation out", () => {
    expect(md("See https://fast.example/a_b_c.")).toBe("See <https://fast.example/a_b_c>.");
    expect(html("See https://fast.example/a_b_c.")).toContain('href="https://fast.example/a_b_c"');
  });
  it("does not take a bracket that is not a URL for a link", () => {
    expect(md("[not a link]")).toBe("\\[not a link\\]");
  });
});

describe("lists", () => {
  it("converts * and # with nesting", () => {
    expect(md("* a\n** b\n* c")).toBe("- a\n  - b\n- c");
    expect(md("# one\n## one.one\n# two")).toBe("1. one\n   1. one.one\n1. two");
    expect(md("# step\n#* detail")).toBe("1. step\n   - detail");
  });
  it("continues an item with : after a marker", () => {
    expect(md("* item\n*: more about it")).toBe("- item\n\n  more about it");
  });
  it("indents with : as a quote and makes ; terms bold", () => {
    expect(md(":indented")).toBe("> indented");
    expect(md(";Term\n:Definition")).toBe("**Term**\n\n> Definition");
    expect(md("; Term : Definition")).toBe("**Term**\n\n> Definition");
  });
  it("escapes item text that markdown would read as a nested block", () => {
    expect(md("* # not a heading")).toBe("- \\# not a heading");
    expect(html("* 1. first")).toBe("<ul>\n<li>1. first</li>\n</ul>");
  });
  it("keeps a hand-made video timeline as list items", () => {
    expect(md("* 00:04:40 Why deep learning")).toBe("- 00:04:40 Why deep learning");
  });
});

describe("code", () => {
  it("converts <code> to a code span, literally", () => {
    expect(md("Run <code>x = a*b</code> now")).toBe("Run `x = a*b` now");
    expect(md("<code>a `tick`</code>")).toBe("`` a `tick` ``");
    expect(html("<code>a `tick`</code>")).toBe("<p><code>a `tick`</code></p>");
  });
  it("decodes entities in <code> and <pre>, as MediaWiki shows them", () => {
    expect(md("<code>&lt;div&gt;</code>")).toBe("`<div>`");
    expect(md("<pre>\na &lt; b\n</pre>")).toBe("```\na < b\n```");
  });
  it("converts <syntaxhighlight lang> and <source lang> to fenced code with the language", () => {
    expect(md('<syntaxhighlight lang="python">\nprint("hi")\n</syntaxhighlight>')).toBe('```python\nprint("hi")\n```');
    expect(md("<source lang=bash>\nls -la\n</source>")).toBe("```bash\nls -la\n```");
  });
  it("keeps markup inside code blocks as written", () => {
    expect(md("<pre>\n'''not bold''' [[not a link]]\n</pre>")).toBe("```\n'''not bold''' [[not a link]]\n```");
  });
  it("uses a longer fence when the code has one", () => {
    expect(md("<pre>\n```\n</pre>")).toBe("````\n```\n````");
  });
  it("turns space-indented lines into a code block", () => {
    expect(md(" line one\n line two\nafter")).toBe("```\nline one\nline two\n```\n\nafter");
  });
  it("makes inline <syntaxhighlight inline> a code span", () => {
    expect(md('Call <syntaxhighlight lang="python" inline>fit()</syntaxhighlight> once.')).toBe("Call `fit()` once.");
  });
});

describe("nowiki", () => {
  it("shows its content as text, markup and all", () => {
    expect(md("<nowiki>''not italic'' [[not a link]]</nowiki>")).toBe("''not italic'' \\[\u2060\\[not a link\\]\\]");
    const out = renderMarkdown(md("<nowiki>[[not a link]]</nowiki>"));
    expect(out.found.wikiLinks).toEqual([]);
    expect(out.html).not.toContain("<a");
  });
  it("drops an empty <nowiki/>", () => {
    expect(md("a<nowiki/>b")).toBe("ab");
  });
});

describe("tables", () => {
  it("converts a simple table with a header row", () => {
    expect(md('{| class="wikitable"\n! A !! B\n|-\n| 1 || 2\n|-\n| 3 || 4\n|}')).toBe("| A | B |\n| --- | --- |\n| 1 | 2 |\n| 3 | 4 |");
  });
  it("gives a table without a header an empty one, and pads short rows", () => {
    expect(md("{|\n| a || b\n|-\n| c\n|}")).toBe("| | |\n| --- | --- |\n| a | b |\n| c | |");
    expect(html("{|\n| a || b\n|-\n| c\n|}")).toContain("<td>c</td>");
  });
  it("keeps the caption as a paragraph, drops cell styles, bolds row headers", () => {
    expect(md('{|\n|+ Results\n! Run !! Loss\n|-\n! first\n| style="color:red" | 0.1\n|}')).toBe(
      "Results\n\n| Run | Loss |\n| --- | --- |\n| **first** | 0.1 |",
    );
  });
  it("escapes pipes in cells, wiki link separators included", () => {
    expect(md("{|\n! Link\n|-\n| [[Page|label]] and a <nowiki>|</nowiki>\n|}")).toBe("| Link |\n| --- |\n| [[Page\\|label]] and a \\| |");
    const out = renderMarkdown(md("{|\n! Link\n|-\n| [[Page|label]]\n|}"));
    expect(out.found.wikiLinks.map((l) => l.title)).toEqual(["Page"]);
    expect(out.html).toContain(">label</a>");
  });
  it("keeps a table with spans verbatim and lists it", () => {
    const source = '{|\n! colspan="2" | Both\n|-\n| a || b\n|}';
    const result = wikitextToMarkdown(`Before\n${source}\nAfter`);
    expect(result.markdown).toBe(`Before\n\n\`\`\`wikitext\n${source}\n\`\`\`\n\nAfter\n`);
    expect(result.unconverted).toEqual([{ line: 2, construct: "table", source }]);
  });
  it("keeps a table with a template in a cell verbatim", () => {
    const result = wikitextToMarkdown("{|\n| {{yes}} || b\n|}");
    expect(result.unconverted.map((u) => u.construct)).toEqual(["table"]);
  });
  it("keeps nested tables and multi-line cells verbatim", () => {
    expect(wikitextToMarkdown("{|\n|\n{|\n| inner\n|}\n|}").unconverted.map((u) => u.construct)).toEqual(["table"]);
    expect(wikitextToMarkdown("{|\n| first line\nsecond line\n|}").unconverted.map((u) => u.construct)).toEqual(["table"]);
  });
});

describe("images", () => {
  it("points a [[File:...]] at the file URL the caller gives, caption as alt and title", () => {
    const fileUrl = (name: string) => `/files/${encodeURIComponent(name)}`;
    expect(md("[[File:Cat photo.jpg|thumb|right|200px|A sleepy cat]]", { fileUrl })).toBe('![A sleepy cat](/files/Cat%20photo.jpg "A sleepy cat")');
  });
  it("uses alt= when given, and the file name when there is no caption", () => {
    expect(md("[[Image:cat.png|alt=A cat|frameless]]")).toBe("![A cat](/wiki/File:Cat.png)");
    expect(md("[[File:cat.png]]")).toBe("![Cat.png](/wiki/File:Cat.png)");
  });
  it("takes links in a caption as their text", () => {
    expect(md("[[File:x.png|thumb|See [[Lesson 1|the lesson]]]]")).toBe('![See the lesson](/wiki/File:X.png "See the lesson")');
  });
  it("renders as an image that stays on the site", () => {
    expect(html("[[File:cat.png|A cat]]")).toBe('<p><img alt="A cat" src="/wiki/File:Cat.png" /></p>');
  });
  it("links [[Media:...]] to the file", () => {
    expect(md("[[Media:notes.pdf|the notes]]")).toBe("[the notes](/wiki/File:Notes.pdf)");
  });
});

describe("rules, breaks, signatures, comments", () => {
  it("converts ---- to a rule", () => {
    expect(md("above\n----\nbelow")).toBe("above\n\n---\n\nbelow");
  });
  it("converts <br> to a hard break", () => {
    expect(md("one<br>two<br />three")).toBe("one\\\ntwo\\\nthree");
    expect(html("one<br>two")).toBe("<p>one<br />\ntwo</p>");
  });
  it("leaves ~~~~ signatures as text, not strikethrough", () => {
    expect(md("Thanks ~~~~")).toBe("Thanks \\~\\~\\~\\~");
    expect(html("Thanks ~~~~")).toBe("<p>Thanks ~~~~</p>");
  });
  it("drops HTML comments, a comment alone on its line with the line", () => {
    expect(md("a <!-- hidden --> b")).toBe("a  b");
    expect(md("a\n<!-- hidden\nover lines -->\nb")).toBe("a\nb");
  });
});

describe("what cannot be converted", () => {
  it("keeps a template on its own line in a wikitext block, with its line", () => {
    const result = wikitextToMarkdown("Intro\n\n{{Infobox lesson\n| number = 1\n}}\nAfter");
    expect(result.markdown).toBe("Intro\n\n```wikitext\n{{Infobox lesson\n| number = 1\n}}\n```\n\nAfter\n");
    expect(result.unconverted).toEqual([{ line: 3, construct: "template", source: "{{Infobox lesson\n| number = 1\n}}" }]);
  });
  it("keeps a template inside a sentence as inline code, the sentence whole", () => {
    const result = wikitextToMarkdown("Due {{date|2024-05-01}} at noon.");
    expect(result.markdown).toBe("Due `{{date|2024-05-01}}` at noon.\n");
    expect(result.unconverted[0]).toMatchObject({ line: 1, construct: "template" });
  });
  it("names parser functions, magic words, template parameters, refs and extension tags", () => {
    const result = wikitextToMarkdown("{{#if: x | y}}\n__TOC__\n{{PAGENAME}}\n{{{1}}}\nA<ref name=a>cite</ref>\n<references />\n<math>x^2</math>");
    expect(result.unconverted.map((u) => [u.line, u.construct])).toEqual([
      [1, "parser function"],
      [2, "magic word"],
      [3, "magic word"],
      [4, "template parameter"],
      [5, "<ref>"],
      [6, "<references>"],
      [7, "<math>"],
    ]);
  });
  it("reports lines of the original text after multi-line comments and blocks", () => {
    const result = wikitextToMarkdown("<!-- one\ntwo\nthree -->\n<pre>\na\nb\n</pre>\nText {{x}}");
    expect(result.unconverted).toEqual([{ line: 8, construct: "template", source: "{{x}}" }]);
  });
  it("uses a longer fence when the source has backticks", () => {
    expect(md("{{code|```}}")).toBe("````wikitext\n{{code|```}}\n````");
  });
  it("takes unbalanced braces as text", () => {
    expect(md("a {{ b")).toBe("a {{ b");
  });
});

describe("escaping plain text", () => {
  it("escapes markdown syntax so the text shows as written", () => {
    const text = "2*3*4 = _x_ and `tick` <b>not</b> <span>kept</span> <script>alert(1)</script> a|b [x] # 1. > q";
    expect(html(text)).toBe("<p>2*3*4 = _x_ and `tick` <strong>not</strong> kept &lt;script>alert(1)&lt;/script> a|b [x] # 1. > q</p>");
  });
  it("escapes what would start a block at the beginning of a line", () => {
    expect(md("+ plus\n- minus\n1. one\n= eq")).toBe("\\+ plus\n\\- minus\n1\\. one\n\\= eq");
    expect(html("+ plus\n- minus\n1. one")).toBe("<p>+ plus\n- minus\n1. one</p>");
  });
  it("keeps intraword underscores readable", () => {
    expect(md("error_rate and _emph_")).toBe("error_rate and \\_emph\\_");
  });
  it("does not let an @name become a mention", () => {
    const out = renderMarkdown(md("ask @alice"), { user: () => ({ url: "/users/alice" }) });
    expect(out.found.mentions).toEqual([]);
  });
  it("keeps entities as entities (MediaWiki and markdown decode them alike)", () => {
    expect(html("a &amp; b &lt;i&gt; &mdash;")).toBe("<p>a &amp; b &lt;i> —</p>");
  });
  it("passes sub/sup through and escapes tags MediaWiki would show as text", () => {
    expect(md("H<sub>2</sub>O x<sup>2</sup> <blink>")).toBe("H<sub>2</sub>O x<sup>2</sup> \\<blink\\>");
  });
});

describe("paragraphs", () => {
  it("keeps single newlines within a paragraph and blank lines between paragraphs", () => {
    expect(md("one\ntwo\n\nthree")).toBe("one\ntwo\n\nthree");
  });
  it("ends a paragraph at a heading", () => {
    expect(md("text\n== H ==")).toBe("text\n\n## H");
  });
  it("returns an empty text for an empty page", () => {
    expect(wikitextToMarkdown("")).toEqual({ markdown: "", unconverted: [], categories: [] });
  });
});
