import { describe, expect, it } from "vitest";
import { checkMdxPolicy, ContentError, convertJekyllLesson, extractSynopsis, formatProblem, markdownToMdx, splitLessonHeading } from "../src/index";

const page = (front: string, body = "### Synopsis\n\nA short synopsis.\n") => `---\n${front}\n---\n${body}`;
const FRONT = "layout: lesson\nlesson: 2&ndash;Convolutions\nyoutube_id: e3aM6XTekJc\nwiki_file: Lesson_2\nnotes_file: Lesson_2_Notes\nforum_thread: lesson-2-discussion";

describe("splitLessonHeading", () => {
  it.each([
    ["1&mdash;Recognizing cats and dogs", 1, "Recognizing cats and dogs"],
    ["2 &ndash; Convolutions", 2, "Convolutions"],
    ["Lesson 3: Overfitting", 3, "Overfitting"],
    ["4 - Embeddings", 4, "Embeddings"],
  ])("%j", (value, number, title) => {
    expect(splitLessonHeading(value)).toEqual({ number, title });
  });
  it("returns null without a number", () => {
    expect(splitLessonHeading("Cats and dogs")).toBeNull();
  });
});

describe("markdownToMdx", () => {
  it("escapes braces and angle brackets outside code, keeps code, converts autolinks and <br>", () => {
    const md = [
      "Use {{ site.baseurl }} and a < b, &lt;script&gt; too.<br>",
      "Inline `{code} <x>` stays.",
      "<!-- a comment -->",
      "See <https://course.fast.ai>.",
      "",
      "```js",
      "const o = { a: 1 } < 2;",
      "```",
      "",
      "    indented {code}",
      "",
      "- item",
      "    continued {x}",
    ].join("\n");
    const { body, changes } = markdownToMdx(md);
    expect(body).toContain("Use \\{\\{ site.baseurl \\}\\} and a \\< b, \\<script> too.<br />");
    expect(body).toContain("Inline `{code} <x>` stays.");
    expect(body).not.toContain("a comment");
    expect(body).toContain("See [https://course.fast.ai](https://course.fast.ai).");
    expect(body).toContain("```js\nconst o = { a: 1 } < 2;\n```");
    expect(body).toContain("```\nindented {code}\n```");
    expect(body).toContain("    continued \\{x\\}");
    expect(changes).toEqual(expect.arrayContaining(["HTML comments dropped", "indented code converted to fenced code"]));
    expect(checkMdxPolicy(body, "x.mdx")).toEqual([]);
  });
});

describe("convertJekyllLesson", () => {
  it("maps fields, decodes entities and honours --order/--slug/--synopsis", () => {
    const result = convertJekyllLesson(page(FRONT), { order: 7, slug: "convolutions", synopsis: "Mine." });
    expect(result.slug).toBe("convolutions");
    expect(result.frontMatter).toMatchObject({ lesson: 2, title: "Convolutions", order: 7, synopsis: "Mine.", forumThread: "lesson-2-discussion" });
    expect(result.mdx.startsWith("---\nlesson: 2\ntitle: Convolutions\norder: 7\n")).toBe(true);
  });

  it("takes the synopsis from the Synopsis section as plain text", () => {
    expect(extractSynopsis("Intro para.\n\n### Synopsis\n\nWe *fine-tune* a [model](x.html) &mdash; fast.\n\nMore.")).toBe("We fine-tune a model \u2014 fast.");
    expect(extractSynopsis("Just one paragraph.")).toBe("Just one paragraph.");
  });

  it("rejects pages whose fields are invalid, naming the field", () => {
    const bad = page(FRONT.replace("youtube_id: e3aM6XTekJc", "youtube_id: nope").replace("forum_thread: lesson-2-discussion", "forum_thread: Lesson 2"));
    let error: unknown;
    try {
      convertJekyllLesson(bad, { source: "lesson2.md" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ContentError);
    expect((error as ContentError).problems.map(formatProblem)).toEqual([
      expect.stringMatching(/^lesson2\.md -> lesson-2\.mdx: front matter field "youtube_id": expected an 11-character YouTube id, got "nope"/),
      expect.stringMatching(/front matter field "forum_thread": expected a forum thread slug/),
    ]);
  });

  it("rejects a lesson field without a number, pages without front matter and unsafe links", () => {
    expect(() => convertJekyllLesson(page(FRONT.replace("2&ndash;Convolutions", "Convolutions")))).toThrow(/front matter field "lesson": expected "<number>&mdash;<title>"/);
    expect(() => convertJekyllLesson("# no front matter")).toThrow(/not a Jekyll page/);
    expect(() => convertJekyllLesson(page(FRONT, "[x](javascript:alert(1))\n"), { synopsis: "s" })).toThrow(/unsafe URL/);
  });
});
