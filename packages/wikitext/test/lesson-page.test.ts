import { readFileSync } from "node:fs";
import { renderMarkdown } from "@course/markdown";
import { describe, expect, it } from "vitest";
import { wikitextToMarkdown } from "../src/index";

const wikitext = readFileSync(new URL("./fixtures/lesson-page.wiki", import.meta.url), "utf8");
/** Reviewed by hand; a change to the converter that changes it must be looked at. */
const expected = readFileSync(new URL("./fixtures/lesson-page.md", import.meta.url), "utf8");
const fileUrl = (name: string) => `/wiki/files/${encodeURIComponent(name)}`;

describe("a course wiki lesson page", () => {
  const result = wikitextToMarkdown(wikitext, { fileUrl });

  it("converts to the reviewed markdown", () => {
    expect(result.markdown).toBe(expected);
  });

  it("lists what it kept verbatim, at its lines", () => {
    expect(result.unconverted.map((u) => [u.line, u.construct])).toEqual([
      [1, "template"],
      [2, "magic word"],
      [12, "<ref>"],
    ]);
    expect(result.categories).toEqual(["Lessons", "Computer vision"]);
  });

  it("renders through our pipeline with its timeline, links, code, table and image", () => {
    const titles = new Set(["Lesson 1 notes", "Training tips"]);
    const { html, found } = renderMarkdown(result.markdown, {
      wikiPage: (title) => ({ url: `/wiki/${encodeURIComponent(title.replace(/ /g, "_"))}`, exists: titles.has(title) }),
    });
    expect(found.wikiLinks.map((l) => [l.title, l.exists]).sort()).toEqual([
      ["Category:Computer vision", false],
      ["Category:Lessons", false],
      ["Forum:Lesson 1 discussion", false],
      ["Lesson 1 notes", true],
      ["Training tips", true],
    ]);
    expect(html).toContain("<li>00:04:40 Why deep learning</li>");
    expect(html).toContain("<li>00:13:30 <em>Checking</em> that the GPU is visible</li>");
    expect(html).toContain('<code class="hljs language-python">');
    expect(html).toContain("<th>Train loss</th>");
    expect(html).toContain('src="/wiki/files/Cat%20confusion%20matrix.png"');
    expect(html).toContain('<a href="https://docs.example.org/vision" rel="noopener noreferrer nofollow ugc">the vision docs</a>');
    expect(html).toContain("Last checked by ~~~~");
    expect(html).toContain("paths with a * or _underscores_ in them");
    expect(html).not.toContain("TODO");
    expect(html).toContain('<code class="language-wikitext">{{Lesson navigation|prev=Setup|next=Lesson 2}}\n</code>');
  });
});
