import { readFile } from "node:fs/promises";
import path from "node:path";
import { getMDXComponent } from "mdx-bundler/client";
import { createElement, type ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { checkMdxPolicy, compileLessonMdx, ContentError, formatProblem, isNotebookPath, isSafeUrl } from "../src/index";
import { realContentDir } from "./helpers";

/** Stand-ins for the course components the web app implements. */
const components = {
  Callout: (p: { type: string; title?: string; children?: ReactNode }) => createElement("aside", { "data-callout": p.type, title: p.title }, p.children),
  NotebookLink: (p: { path: string; children?: ReactNode }) => createElement("a", { "data-notebook": p.path }, p.children),
  VideoTime: (p: { t: string; children?: ReactNode }) => createElement("a", { href: `?t=${p.t}` }, p.children),
};

async function render(source: string): Promise<string> {
  const { code } = await compileLessonMdx(source, "test.mdx");
  return renderToStaticMarkup(createElement(getMDXComponent(code), { components }));
}

function policy(body: string, duration?: number): string[] {
  return checkMdxPolicy(body, "lesson.mdx", { duration }).map(formatProblem);
}

describe("MDX policy (hostile input)", () => {
  it.each([
    ["import fs from 'node:fs'\n\n# Hi", "import/export statements are not allowed"],
    ["export const x = process.exit(1)", "import/export statements are not allowed"],
    ["{process.exit(1)}", "JavaScript expressions are not allowed"],
    ["Text {globalThis.fetch('http://evil')} inline", "JavaScript expressions are not allowed"],
    ["<script>alert(1)</script>", "<script> is not allowed"],
    ["<style>{`body{}`}</style>", "<style> is not allowed"],
    ["<iframe src=\"https://evil\" />", "<iframe> is not allowed"],
    ["<Evil />", "the available components are Callout, NotebookLink, VideoTime"],
    ["<Callout.Inner />", "<Callout.Inner> is not allowed"],
    ["<div onClick=\"alert(1)\">x</div>", 'attribute "onClick" is not allowed on <div>'],
    ["<div style=\"color: red\">x</div>", 'attribute "style" is not allowed on <div>'],
    ["<div dangerouslySetInnerHTML={{ __html: '<img onerror=alert(1)>' }} />", "must be a string, number or boolean literal"],
    ["<div {...props}>x</div>", "spread attributes are not allowed"],
    ["[click](javascript:alert(1))", 'unsafe URL "javascript:alert(1)"'],
    ["<a href=\"JaVa\tScript:alert(1)\">x</a>", "unsafe URL"],
    ["![x](data:image/svg+xml;base64,AAAA)", "unsafe URL"],
    ["[x]: vbscript:msgbox\n\n[y][x]", "unsafe URL"],
    ["<Callout type=\"danger\">x</Callout>", "<Callout type> must be one of note, tip, warning"],
    ["<Callout>x</Callout>", "<Callout> needs a type prop"],
    ["<Callout type=\"note\" onClick=\"x\">x</Callout>", '<Callout> has no prop "onClick"'],
    ["<NotebookLink path=\"../../etc/passwd.ipynb\">x</NotebookLink>", "<NotebookLink path> must be a relative path to an .ipynb file"],
    ["<NotebookLink path=\"/abs/x.ipynb\">x</NotebookLink>", "<NotebookLink path> must be a relative path"],
    ["<NotebookLink path=\"homework/x.ipynb\">x</NotebookLink>", "<NotebookLink path> must point into notebooks/ of the content folder"],
    ["<VideoTime t=\"soon\">x</VideoTime>", "<VideoTime t> must be a time"],
    ["<VideoTime t={83}>x</VideoTime>", "<VideoTime t> must be a time"],
  ])("rejects %j", (body, message) => {
    const problems = policy(body);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join("\n")).toContain(message);
    expect(problems[0]).toMatch(/^lesson\.mdx:\d+: /);
  });

  it("rejects a <VideoTime> in a lesson without a video of its own", () => {
    expect(checkMdxPolicy('<VideoTime t="0:00">x</VideoTime>', "lesson.mdx", { hasVideo: false }).map(formatProblem)).toEqual([
      'lesson.mdx:1: <VideoTime t="0:00">: this lesson has no video (no youtube_id in its front matter); remove the link or add the lesson\'s own video',
    ]);
  });

  it("rejects a <VideoTime> past the end of the video", () => {
    expect(policy('<VideoTime t="10:00">x</VideoTime>', 600)).toEqual(['lesson.mdx:1: <VideoTime t="10:00"> is past the end of the video (10:00)']);
    expect(policy('<VideoTime t="9:59">x</VideoTime>', 600)).toEqual([]);
  });

  it("reports every violation with its line", () => {
    expect(policy("# Title\n\n<script />\n\nok\n\n{1 + 1}\n")).toEqual([
      "lesson.mdx:3: <script> is not allowed in lesson bodies (allowed HTML elements are listed in the content README)",
      expect.stringMatching(/^lesson\.mdx:7: JavaScript expressions are not allowed/),
    ]);
  });

  it("reports MDX syntax errors with a line", () => {
    expect(policy("ok\n\n<div>unclosed\n")[0]).toMatch(/^lesson\.mdx:\d+: MDX syntax error: /);
  });

  it("allows markdown, comments, safe HTML and literal attributes", () => {
    const body = [
      "# Heading {/* a comment */}",
      "",
      "Text with [a link](https://example.com), [relative](/lessons/lesson-1), [anchor](#x) and [mail](mailto:a@b.c).",
      "",
      '<Callout type="warning" title="Careful">Be **careful** with <kbd>Ctrl</kbd>+<kbd>C</kbd>.</Callout>',
      "",
      '<img src="/images/cat.png" alt="a cat" width={320} />',
      "",
      '<details open><summary>More</summary>Hidden <VideoTime t="1m23s">here</VideoTime>.</details>',
      "",
      "Escaped \\{ braces \\} and \\< angle are text.",
    ].join("\n");
    expect(policy(body)).toEqual([]);
  });

  it("URL and notebook path helpers", () => {
    expect(isSafeUrl("https://x")).toBe(true);
    expect(isSafeUrl("../x.html")).toBe(true);
    expect(isSafeUrl(" javascript:x")).toBe(false);
    expect(isNotebookPath("notebooks/lesson-1.ipynb")).toBe(true);
    expect(isNotebookPath("notebooks/./x.ipynb")).toBe(false);
    expect(isNotebookPath("notebooks/x.py")).toBe(false);
  });
});

describe("compileLessonMdx", () => {
  it("produces code that getMDXComponent renders in React 19 with the course components", async () => {
    const html = await render('---\ntitle: ignored here\n---\n\n# Hello\n\n<Callout type="tip">Use **bold**</Callout>\n\nSee <VideoTime t="1:23">teaching</VideoTime> and <NotebookLink path="notebooks/a.ipynb">the notebook</NotebookLink>.\n');
    expect(html).toBe('<h1>Hello</h1>\n<aside data-callout="tip">Use <strong>bold</strong></aside>\n<p>See <a href="?t=1:23">teaching</a> and <a data-notebook="notebooks/a.ipynb">the notebook</a>.</p>');
  });

  it("renders GitHub-flavoured tables and checks autolinked URLs", async () => {
    const html = await render("| a | b |\n| - | - |\n| 1 | 2 |\n\nVisit https://course.fast.ai now.\n");
    expect(html).toContain("<table>");
    expect(html).toContain('<a href="https://course.fast.ai">https://course.fast.ai</a>');
  });

  it("throws a ContentError naming the file and line, before bundling anything", async () => {
    const source = "---\nlesson: 1\n---\n\nok\n\nimport x from '/etc/passwd'\n";
    const error = await compileLessonMdx(source, "content/lessons/evil.mdx").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContentError);
    expect((error as ContentError).problems).toEqual([{ file: "content/lessons/evil.mdx", line: 7, message: expect.stringContaining("import/export statements are not allowed") }]);
  });

  it("never evaluates `---js` front matter (gray-matter engines are disabled)", async () => {
    const flag = globalThis as Record<string, unknown>;
    flag.__pwned = false;
    // No braces, so the MDX policy sees plain text; only gray-matter's js engine could run it.
    const error = await compileLessonMdx("---js\nglobalThis.__pwned = true\n---\n\nHi\n", "js.mdx").catch((e: unknown) => e);
    expect(flag.__pwned).toBe(false);
    expect(error).toBeInstanceOf(ContentError);
    expect((error as ContentError).message).toContain("only YAML front matter is supported");
  });

  it("compiles and renders both demo lessons", async () => {
    for (const name of ["lesson-0-setup.mdx", "lesson-1.mdx"]) {
      const source = await readFile(path.join(realContentDir, "lessons", name), "utf8");
      const html = await render(source);
      expect(html).toContain("<aside data-callout=");
      expect(html).toContain("data-notebook=");
      if (name === "lesson-1.mdx") expect(html).toContain('<a href="?t=9:00">9:00</a>');
      expect(html).not.toContain("---");
    }
  });
});
