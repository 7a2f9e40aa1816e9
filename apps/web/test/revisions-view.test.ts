import { diffTexts, mergeTexts } from "@course/revisions";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { MergeConflict, RevisionDiff, type RevisionDiffProps } from "~/components/revisions";

const render = (props: RevisionDiffProps) => renderToStaticMarkup(createElement(RevisionDiff, props));
const rowsOf = (html: string) => html.match(/<tr[\s>][\s\S]*?<\/tr>/g) ?? [];
const visibleText = (html: string) =>
  html
    .replace(/<[^>]*>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&amp;/g, "&");

const oldText = "Good start.\nThe plot is missing.\nSee cell 4.\n";
const newText = "Good start.\nThe loss plot is missing.\nSee cell 5.\nWell done.\n";

describe("RevisionDiff", () => {
  it("inline: one row per line, changed words as <del>/<ins> in place", () => {
    const html = render({ diff: diffTexts(oldText, newText), view: "inline", oldLabel: "Revision 1", newLabel: "Revision 2" });
    expect(html).toContain('data-view="inline"');
    expect(html).toContain("Changes from Revision 1 to Revision 2: 3 lines added, 2 removed");
    const rows = rowsOf(html);
    expect(rows).toHaveLength(4);
    expect(visibleText(rows[0]!)).toBe("11 Good start.");
    expect(rows[1]).toContain("<span>The </span><ins>loss </ins><span>plot is missing.</span>");
    expect(rows[2]).toContain("<del>4</del><ins>5</ins>");
    expect(rows[3]).toContain("<ins>Well done.</ins>");
    expect(visibleText(rows[3]!)).toBe("4+Well done.");
  });

  it("side by side: the old text on the left, the new on the right, each with only its own words", () => {
    const html = render({ diff: diffTexts(oldText, newText), view: "side-by-side" });
    expect(html).toContain('data-view="side-by-side"');
    const rows = rowsOf(html).slice(1); // after the header row
    const cells = (row: string) => (row.match(/<td[^>]*>[\s\S]*?<\/td>/g) ?? []).map(visibleText);
    expect(cells(rows[0]!)).toEqual(["1", "Good start.", "1", "Good start."]);
    expect(cells(rows[1]!)).toEqual(["2", "The plot is missing.", "2", "The loss plot is missing."]);
    expect(rows[1]).not.toMatch(/<td[^>]*><span>The <\/span><del>/); // the left side shows no additions
    expect(cells(rows[2]!)).toEqual(["3", "See cell 4.", "3", "See cell 5."]);
    expect(cells(rows[3]!)).toEqual(["", "", "4", "Well done."]);
  });

  it("escapes the texts: markup in a revision is shown, never run", () => {
    const html = render({ diff: diffTexts("safe\n", 'safe\n<script>alert("x")</script><img src=x onerror=alert(1)>\n'), view: "inline" });
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;script&gt;");
    expect(visibleText(html)).toContain('<script>alert("x")</script>');
  });

  it("folds long unchanged runs, and says so when nothing changed", () => {
    const long = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).join("\n");
    const html = render({ diff: diffTexts(long, long.replace("line 15", "line fifteen")), view: "inline", context: 2 });
    expect(rowsOf(html)).toHaveLength(7);
    expect(visibleText(html)).toContain("12 unchanged lines (1–12)");
    expect(visibleText(html)).toContain("13 unchanged lines (18–30)");
    expect(rowsOf(render({ diff: diffTexts(long, long.replace("line 15", "x")), view: "inline", context: null }))).toHaveLength(30);
    expect(visibleText(render({ diff: diffTexts("a", "a"), view: "side-by-side", oldLabel: "r1", newLabel: "r2" }))).toBe("No changes between r1 and r2.");
  });
});

describe("MergeConflict", () => {
  it("shows the shared lines once and each overlap side by side", () => {
    const result = mergeTexts("Intro\nScore: fine\nEnd\n", "Intro\nScore: <b>weak</b>\nEnd\n", "Intro\nScore: good\nEnd\n");
    if (result.kind !== "conflict") throw new Error("expected a conflict");
    const html = renderToStaticMarkup(createElement(MergeConflict, { regions: result.regions }));
    expect(html.match(/data-conflict/g)).toHaveLength(1);
    expect(visibleText(html)).toBe("IntroYour textScore: <b>weak</b>Saved meanwhileScore: goodEnd\n");
    expect(html).toContain("Score: &lt;b&gt;weak&lt;/b&gt;");
  });
});
