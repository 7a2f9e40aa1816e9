import { describe, expect, it } from "vitest";
import { keyOrNull, parseTitle, TitleError, titleFromSegments, wikiPath } from "~/server/wiki/titles";

const error = (raw: string) => {
  try {
    parseTitle(raw);
    return "accepted";
  } catch (e) {
    return e instanceof TitleError ? e.message : `other error: ${String(e)}`;
  }
};

describe("wiki titles", () => {
  it("treats spaces and underscores alike, trims and collapses, and ignores the case of the first letter", () => {
    for (const raw of ["Training tips", "training_tips", "  Training   tips ", "Training__tips", "training \t_ tips"]) {
      expect(parseTitle(raw)).toEqual({ title: "Training tips", key: "Training_tips" });
    }
    expect(parseTitle("training Tips").key).toBe("Training_Tips");
    expect(parseTitle("élan vital").title).toBe("Élan vital");
    expect(parseTitle("lesson 1/notes")).toEqual({ title: "Lesson 1/notes", key: "Lesson_1/notes" });
  });

  it("canonicalizes the Category and Special namespaces", () => {
    expect(parseTitle("category: training tips")).toEqual({ title: "Category:Training tips", key: "Category:Training_tips" });
    expect(parseTitle("SPECIAL:recentchanges").key).toBe("Special:Recentchanges");
    expect(parseTitle("Note: about x").key).toBe("Note:_about_x");
  });

  it("refuses invalid titles with a reason", () => {
    expect(error("")).toBe("A page title cannot be empty.");
    expect(error(" _ ")).toBe("A page title cannot be empty.");
    expect(error("a[b")).toContain('"["');
    expect(error("a|b")).toContain('"|"');
    expect(error("a#b")).toContain('"#"');
    expect(error("<script>")).toContain('"<"');
    expect(error("a{b}")).toContain('"{"');
    expect(error("bell\u0007")).toContain("cannot contain");
    expect(error("100%20")).toContain("URL escapes");
    expect(error("..")).toContain('".."');
    expect(error("a/../b")).toContain('"../"');
    expect(error("/root")).toContain("start or end with /");
    expect(error(":x")).toContain("colon");
    expect(error("Category:")).toContain("needs a name");
    expect(error("x".repeat(256))).toContain("at most 255");
    expect(error("x".repeat(255))).toBe("accepted");
    expect(keyOrNull("a]b")).toBeNull();
  });

  it("makes paths that round-trip through URL segments", () => {
    expect(wikiPath("Training tips")).toBe("/wiki/Training_tips");
    expect(wikiPath("Category:Q&A?")).toBe("/wiki/Category:Q%26A%3F");
    expect(wikiPath("Lesson 1/Notes")).toBe("/wiki/Lesson_1/Notes");
    const path = wikiPath("Ünïcode 50% off?");
    const segments = path.slice("/wiki/".length).split("/");
    expect(parseTitle(titleFromSegments(segments)).title).toBe("Ünïcode 50% off?");
  });
});
