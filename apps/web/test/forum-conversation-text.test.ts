import { renderMarkdown } from "@course/markdown";
import { describe, expect, it } from "vitest";
import { completeMention, insertBlock, mentionAt, quoteMarkdown } from "~/components/forum/conversation-text";

describe("the composer's quote and mention text", () => {
  const source = { username: "ann", name: "Ann Lee", url: "/forum/t/t1/loss?post=3#p3" };

  it("quotes a selection in packages/markdown's syntax, attributed and linked", () => {
    const md = quoteMarkdown("\n  First line\r\n\n\n\nSecond line  \n", source);
    expect(md).toBe("> [!quote @ann](/forum/t/t1/loss?post=3#p3)\n>   First line\n>\n> Second line\n\n");
    const rendered = renderMarkdown(`${md}I agree.`, { user: (name) => (name === "ann" ? { url: "/forum/u/ann" } : undefined) });
    expect(rendered.found.quotes).toEqual([{ author: "@ann", username: "ann", source: "/forum/t/t1/loss?post=3#p3" }]);
    expect(rendered.found.mentions).toEqual([{ username: "ann", url: "/forum/u/ann" }]);
    expect(rendered.html).toContain('<blockquote class="quote" cite="/forum/t/t1/loss?post=3#p3">');
    expect(rendered.html).toContain("<p>I agree.</p>");
    // Without a username, the name (without what would end the header) attributes it.
    expect(quoteMarkdown("x", { username: null, name: "Course ]platform", url: "/forum/t/t1/x?post=1#p1" })).toBe("> [!quote Course  platform](/forum/t/t1/x?post=1#p1)\n> x\n\n");
  });

  it("inserts a block on lines of its own", () => {
    expect(insertBlock("", 0, "Q\n\n")).toEqual({ text: "Q\n\n", caret: 3 });
    expect(insertBlock("Hello", 5, "Q\n\n")).toEqual({ text: "Hello\n\nQ\n\n", caret: 10 });
    expect(insertBlock("Hello\nmore", 6, "Q\n\n")).toEqual({ text: "Hello\n\nQ\n\nmore", caret: 10 });
  });

  it("finds the @name being typed, as the markdown pipeline would read it", () => {
    expect(mentionAt("Hi @an", 6)).toEqual({ start: 3, prefix: "an" });
    expect(mentionAt("@", 1)).toEqual({ start: 0, prefix: "" });
    expect(mentionAt("mail me@an", 10)).toBeNull();
    expect(mentionAt("Hi @an there", 12)).toBeNull();
    expect(completeMention("Hi @an", 6, 3, "ann")).toEqual({ text: "Hi @ann ", caret: 8 });
    expect(completeMention("Hi @an, thanks", 6, 3, "ann")).toEqual({ text: "Hi @ann, thanks", caret: 7 });
    expect(completeMention("Hi @a there", 5, 3, "ann")).toEqual({ text: "Hi @ann there", caret: 7 });
    expect(completeMention("Hi @axe", 5, 3, "ann")).toEqual({ text: "Hi @ann ", caret: 8 });
  });
});
