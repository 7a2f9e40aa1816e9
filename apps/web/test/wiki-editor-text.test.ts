import { describe, expect, it } from "vitest";
import { altText, openLinkAt } from "~/components/wiki/editor-text";

describe("wiki editor text helpers", () => {
  it("finds the unclosed [[ before the caret, and nothing once the link is closed, piped or broken", () => {
    const text = "See [[Learn and [[Loss]] or [[A|b";
    expect(openLinkAt(text, "See [[Learn".length)).toEqual({ start: 6, prefix: "Learn" });
    expect(openLinkAt(text, "See [[".length)).toBeNull();
    expect(openLinkAt(text, "See [[Learn and [[Loss]]".length)).toBeNull();
    expect(openLinkAt(text, text.length)).toBeNull();
    expect(openLinkAt("[[Line\nnext", 11)).toBeNull();
    expect(openLinkAt("[[Page#sec", 10)).toBeNull();
    expect(openLinkAt("[[   ", 5)).toBeNull();
    expect(openLinkAt("no link", 7)).toBeNull();
    expect(openLinkAt("x [[Lesson 1", 12)).toEqual({ start: 4, prefix: "Lesson 1" });
  });

  it("makes an image's alt text from its name", () => {
    expect(altText("Cat photo.png")).toBe("Cat photo");
    expect(altText("a[b].tar.gz")).toBe("a\\[b\\].tar");
  });
});
