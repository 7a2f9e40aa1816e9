import { describe, expect, it } from "vitest";
import { mergeTexts } from "../src/index";

// In the spirit of MediaWiki's EditPageTest merge cases: each row is base, mine, theirs and the expected outcome.
const base = "first line\nsecond line\nthird line\nfourth line\nfifth line\n";
const clean: Array<[name: string, base: string, mine: string, theirs: string, merged: string]> = [
  ["edits to different lines", base, base.replace("first line", "FIRST"), base.replace("fifth line", "FIFTH"), "FIRST\nsecond line\nthird line\nfourth line\nFIFTH\n"],
  ["an edit at the start and an edit at the end", base, `intro\n${base}`, `${base}outro\n`, `intro\n${base}outro\n`],
  ["an edit at the end and an edit at the start", base, `${base}outro\n`, `intro\n${base}`, `intro\n${base}outro\n`],
  ["identical edits on both sides", base, base.replace("third", "3rd"), base.replace("third", "3rd"), base.replace("third", "3rd")],
  ["the same line deleted on both sides", base, base.replace("third line\n", ""), base.replace("third line\n", ""), base.replace("third line\n", "")],
  ["a deletion and an edit far from it", base, base.replace("first line\n", ""), base.replace("fifth line", "FIFTH"), "second line\nthird line\nfourth line\nFIFTH\n"],
  ["base equals theirs: mine wins (fast path)", base, "all new\n", base, "all new\n"],
  ["base equals mine: theirs wins", base, base, "all theirs\n", "all theirs\n"],
  ["all three empty", "", "", "", ""],
  ["empty base, only mine wrote", "", "hello\n", "", "hello\n"],
  ["empty base, only theirs wrote", "", "", "hello\n", "hello\n"],
  ["both emptied the text", base, "", "", ""],
  ["CRLF from a browser merges with LF", base, base.replace("first line", "FIRST").replace(/\n/g, "\r\n"), base.replace("fifth line", "FIFTH"), "FIRST\nsecond line\nthird line\nfourth line\nFIFTH\n"],
];

const conflicts: Array<[name: string, base: string, mine: string, theirs: string, region: { mine: string[]; base: string[]; theirs: string[] }]> = [
  ["different edits to the same line", base, base.replace("third line", "third, mine"), base.replace("third line", "third, theirs"), { mine: ["third, mine"], base: ["third line"], theirs: ["third, theirs"] }],
  ["different lines added at the end", base, `${base}mine\n`, `${base}theirs\n`, { mine: ["mine"], base: [], theirs: ["theirs"] }],
  ["different lines added at the start", base, `mine\n${base}`, `theirs\n${base}`, { mine: ["mine"], base: [], theirs: ["theirs"] }],
  ["a deletion against an edit of the same line", base, base.replace("third line\n", ""), base.replace("third line", "third, edited"), { mine: [], base: ["third line"], theirs: ["third, edited"] }],
  ["an edit against a deletion of the same line", base, base.replace("third line", "third, edited"), base.replace("third line\n", ""), { mine: ["third, edited"], base: ["third line"], theirs: [] }],
  ["both wrote into an empty text", "", "mine", "theirs", { mine: ["mine"], base: [""], theirs: ["theirs"] }],
  ["one emptied the text, the other edited it", base, "", base.replace("third line", "3rd"), { mine: [], base: base.split("\n").slice(0, -1), theirs: base.replace("third line", "3rd").split("\n").slice(0, -1) }],
];

describe("mergeTexts", () => {
  it.each(clean)("merges cleanly: %s", (_name, o, mine, theirs, merged) => {
    expect(mergeTexts(o, mine, theirs)).toEqual({ kind: "clean", text: merged });
  });

  it.each(conflicts)("is a conflict that keeps both texts: %s", (_name, o, mine, theirs, region) => {
    const result = mergeTexts(o, mine, theirs);
    if (result.kind !== "conflict") throw new Error(`expected a conflict, got ${JSON.stringify(result)}`);
    expect(result.mine).toBe(mine);
    expect(result.theirs).toBe(theirs);
    expect(result.base).toBe(o);
    const regions = result.regions.filter((r) => r.kind === "conflict");
    expect(regions).toHaveLength(1);
    expect(regions[0]).toMatchObject(region);
  });

  it("a conflict's regions rebuild each side: ok lines plus that side of each conflict", () => {
    const mine = `intro\n${base.replace("third line", "third, mine")}`;
    const theirs = base.replace("third line", "third, theirs").replace("fifth line", "FIFTH");
    const result = mergeTexts(base, mine, theirs);
    if (result.kind !== "conflict") throw new Error("expected a conflict");
    const rebuild = (side: "mine" | "theirs") => result.regions.flatMap((r) => (r.kind === "ok" ? r.lines : r[side])).join("\n");
    // The ok regions already hold the clean parts of both edits (intro and FIFTH); only the third line differs.
    expect(rebuild("mine")).toBe("intro\nfirst line\nsecond line\nthird, mine\nfourth line\nFIFTH\n");
    expect(rebuild("theirs")).toBe("intro\nfirst line\nsecond line\nthird, theirs\nfourth line\nFIFTH\n");
  });

  it("adjacent edits conflict, as in git and MediaWiki; one unchanged line between them is enough to merge", () => {
    expect(mergeTexts("a\nb\nc\n", "A\nb\nc\n", "a\nB\nc\n").kind).toBe("conflict");
    expect(mergeTexts("a\nb\nc\n", "A\nb\nc\n", "a\nb\nC\n")).toEqual({ kind: "clean", text: "A\nb\nC\n" });
  });

  it("keeps or drops the final newline as the side that changed it did", () => {
    expect(mergeTexts("a\nb\nc\nd", "A\nb\nc\nd", "a\nb\nc\nd\n")).toEqual({ kind: "clean", text: "A\nb\nc\nd\n" });
  });
});
