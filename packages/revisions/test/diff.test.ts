import { describe, expect, it } from "vitest";
import { diffTexts, foldUnchanged, sideOf, type DiffRow } from "../src/index";

const sideText = (row: DiffRow, side: "old" | "new") =>
  row.kind === "changed" ? sideOf(row.segments, side).map((s) => s.text).join("") : "text" in row ? row.text : "";

describe("diffTexts", () => {
  it("equal texts are one same row per line and identical", () => {
    const diff = diffTexts("a\nb\n", "a\r\nb\r\n");
    expect(diff).toEqual({
      rows: [
        { kind: "same", oldNumber: 1, newNumber: 1, text: "a" },
        { kind: "same", oldNumber: 2, newNumber: 2, text: "b" },
      ],
      added: 0,
      removed: 0,
      identical: true,
    });
  });

  it("pairs a replaced line with its replacement and diffs the words", () => {
    const diff = diffTexts("the quick brown fox\nstays\n", "the slow brown fox\nstays\n");
    expect(diff.rows[0]).toEqual({
      kind: "changed",
      oldNumber: 1,
      newNumber: 1,
      segments: [
        { kind: "same", text: "the " },
        { kind: "removed", text: "quick" },
        { kind: "added", text: "slow" },
        { kind: "same", text: " brown fox" },
      ],
    });
    expect(diff.rows[1]).toEqual({ kind: "same", oldNumber: 2, newNumber: 2, text: "stays" });
    expect(diff).toMatchObject({ added: 1, removed: 1, identical: false });
  });

  it("numbers old and new lines separately across additions and removals", () => {
    const diff = diffTexts("keep\ngone\nkeep too\n", "new first\nkeep\nkeep too\nnew last\n");
    expect(diff.rows).toEqual([
      { kind: "added", newNumber: 1, text: "new first" },
      { kind: "same", oldNumber: 1, newNumber: 2, text: "keep" },
      { kind: "removed", oldNumber: 2, text: "gone" },
      { kind: "same", oldNumber: 3, newNumber: 3, text: "keep too" },
      { kind: "added", newNumber: 4, text: "new last" },
    ]);
  });

  it("more removed than added lines: pairs in order, the rest stay removed", () => {
    const diff = diffTexts("x\none\ntwo\nthree\ny\n", "x\nONE\ny\n");
    expect(diff.rows.map((r) => r.kind)).toEqual(["same", "changed", "removed", "removed", "same"]);
    expect(diff.rows.map((r) => ("oldNumber" in r ? r.oldNumber : null))).toEqual([1, 2, 3, 4, 5]);
    expect(diff.rows.map((r) => ("newNumber" in r ? r.newNumber : null))).toEqual([1, 2, null, null, 3]);
  });

  it("each side of the rows rebuilds its text exactly", () => {
    const oldText = "alpha  beta\n\tgamma\n\nshared\nlast one";
    const newText = "alpha beta!\n\tgamma\nextra\n\nshared\nlast  two\n";
    const rows = diffTexts(oldText, newText).rows;
    const rebuild = (side: "old" | "new") =>
      rows.filter((r) => (side === "old" ? r.kind !== "added" : r.kind !== "removed")).map((r) => sideText(r, side)).join("\n");
    expect(rebuild("old")).toBe(oldText);
    expect(rebuild("new")).toBe(newText.slice(0, -1));
  });

  it("empty texts: nothing to nothing, nothing to something, something to nothing", () => {
    expect(diffTexts("", "")).toEqual({ rows: [], added: 0, removed: 0, identical: true });
    expect(diffTexts("", "hi\n").rows).toEqual([{ kind: "added", newNumber: 1, text: "hi" }]);
    expect(diffTexts("hi", "").rows).toEqual([{ kind: "removed", oldNumber: 1, text: "hi" }]);
  });
});

describe("foldUnchanged", () => {
  const numbered = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}`).join("\n");

  it("folds long unchanged runs, keeping context around each change", () => {
    const oldText = numbered(20);
    const rows = diffTexts(oldText, oldText.replace("line 10", "line ten")).rows;
    const folded = foldUnchanged(rows, 2);
    expect(folded.map((r) => (r.kind === "folded" ? `folded ${r.count} from ${r.oldNumber}` : r.kind))).toEqual([
      "folded 7 from 1",
      "same",
      "same",
      "changed",
      "same",
      "same",
      "folded 8 from 13",
    ]);
  });

  it("leaves short runs and texts without changes alone", () => {
    const rows = diffTexts("a\nb\nc\nd\n", "a\nb\nC\nd\n").rows;
    expect(foldUnchanged(rows, 3)).toEqual(rows);
    expect(foldUnchanged(diffTexts(numbered(10), numbered(10)).rows, 3)).toEqual([{ kind: "folded", count: 10, oldNumber: 1, newNumber: 1 }]);
  });
});
