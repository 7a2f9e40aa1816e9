import { describe, expect, it } from "vitest";
import { HOSTILE_CORPUS } from "../corpus/hostile";
import { renderHtml, renderMarkdown, type RenderOptions } from "../src/index";
import { cpuMs, expectSafe, renderBudgetMs } from "./safety";

const options: RenderOptions = {
  user: (name) => (name === "alice" ? { url: "/users/alice" } : undefined),
  lesson: (name) => (name === "Lesson 1" ? { slug: "lesson-1" } : undefined),
  wikiPage: (title) => ({ url: `/wiki/${encodeURIComponent(title)}`, exists: title === "Page" }),
  currentLesson: "lesson-1",
};

describe("the hostile corpus", () => {
  it("has at least 100 inputs", () => {
    expect(HOSTILE_CORPUS.length).toBeGreaterThanOrEqual(100);
    expect(new Set(HOSTILE_CORPUS.map((c) => c.name)).size).toBe(HOSTILE_CORPUS.length);
  });

  // Warm up the parser and grammars once, so the first case's time is not the module's start-up.
  renderMarkdown("*warm* `up` <b>x</b>\n\n```js\nx\n```", options);
  const budget = renderBudgetMs((markdown) => renderMarkdown(markdown, options));

  for (const { name, markdown } of HOSTILE_CORPUS) {
    it(`renders as markdown safely and within the CPU budget: ${name}`, () => {
      let html = "";
      const ms = cpuMs(() => (html = renderMarkdown(markdown, options).html));
      expectSafe(html);
      expect(ms, `${name} took ${ms.toFixed(0)} ms of CPU (budget ${budget.toFixed(0)} ms)`).toBeLessThan(budget);
    });
    it(`renders as HTML safely: ${name}`, () => {
      let html = "";
      const ms = cpuMs(() => (html = renderHtml(markdown, { dataImages: true }).html));
      expectSafe(html, { dataImages: true });
      expect(ms, `${name} took ${ms.toFixed(0)} ms of CPU (budget ${budget.toFixed(0)} ms)`).toBeLessThan(budget);
    });
  }
});

describe("neutralised, not emptied", () => {
  it("keeps the words of deeply nested input", () => {
    const { html } = renderMarkdown(`${">".repeat(10_000)} deep words`);
    expect(html).toContain("deep words");
  });

  it("drops script, style and frame content instead of showing it as text", () => {
    const { html } = renderMarkdown("<script>__xss(1)</script><style>a{}</style>after");
    expect(html).not.toContain("__xss");
    expect(html).not.toContain("a{}");
    expect(html).toContain("after");
  });

  it("keeps a javascript: link's text but not its target", () => {
    const { html } = renderMarkdown("[click me](javascript:__xss(1))");
    expect(html).toContain("click me");
    expect(html).not.toContain("javascript");
  });

  it("does not let raw HTML forge the pipeline's own classes and data attributes", () => {
    const { html } = renderMarkdown('<a href="/x" class="wiki-link" data-video-time="5">f</a>');
    expect(html).toBe('<p><a href="/x">f</a></p>');
  });
});
