import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fileNameForTitle, fileNamesForTitles, titleForFileName } from "../src/index";

describe("fileNameForTitle", () => {
  it("writes spaces as underscores and keeps unicode", () => {
    expect(fileNameForTitle("Lesson 1 notes")).toBe("Lesson_1_notes.md");
    expect(fileNameForTitle("Réseaux de neurones — 第一课")).toBe("Réseaux_de_neurones_%E2%80%94_第一课.md");
  });

  it("encodes what a file system or a path would take badly", () => {
    expect(fileNameForTitle("../../etc/passwd")).toBe("%2E.%2F..%2Fetc%2Fpasswd.md");
    expect(fileNameForTitle("File:a\\b?*<>|\"x")).toBe("File%3Aa%5Cb%3F%2A%3C%3E%7C%22x.md");
    expect(fileNameForTitle("snake_case 100%")).toBe("snake%5Fcase_100%25.md");
    expect(fileNameForTitle(".hidden")).toBe("%2Ehidden.md");
    expect(fileNameForTitle("Ends with a dot.")).toBe("Ends_with_a_dot%2E.md");
    expect(fileNameForTitle("CON")).toBe("%43ON.md");
    expect(fileNameForTitle("tab\there")).toBe("tab%09here.md");
  });

  it("cuts very long titles and adds a hash", () => {
    const name = fileNameForTitle("é".repeat(300));
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(210);
    expect(name).toMatch(/~h[0-9a-f]{12}\.md$/);
    expect(fileNameForTitle("é".repeat(300))).toBe(name);
    expect(fileNameForTitle(`${"é".repeat(300)}x`)).not.toBe(name);
    expect(titleForFileName(name)).toBeUndefined();
  });

  it("refuses an empty title", () => {
    expect(() => fileNameForTitle(" ")).toThrow(/must not be empty/);
  });
});

describe("fileNamesForTitles", () => {
  it("adds a suffix to titles that differ only in case or unicode normalization", () => {
    const names = fileNamesForTitles(["Foo", "foo", "FOO", "Café", "Cafe\u0301", "Bar"]);
    expect([...names.entries()].sort()).toEqual([
      ["Bar", "Bar.md"],
      ["Cafe\u0301", "Cafe\u0301.md"],
      ["Café", "Café~2.md"],
      ["FOO", "FOO.md"],
      ["Foo", "Foo~2.md"],
      ["foo", "foo~3.md"],
    ]);
    for (const [title, name] of names) expect(titleForFileName(name)).toBe(title);
  });
});

describe("properties", () => {
  const title = fc.fullUnicodeString({ minLength: 1, maxLength: 60 }).filter((t) => t.trim() !== "");

  it("is reversible", () => {
    fc.assert(
      fc.property(title, (t) => {
        const name = fileNameForTitle(t);
        if (!name.includes("~h")) expect(titleForFileName(name)).toBe(t);
      }),
      { numRuns: 1000 },
    );
  });

  it("makes a single, safe path segment", () => {
    fc.assert(
      fc.property(title, (t) => {
        const name = fileNameForTitle(t);
        expect(name).not.toMatch(/[/\\:*?"<>|]/);
        expect([...name].some((c) => c.codePointAt(0)! < 0x20 || c === "\u007f")).toBe(false);
        expect(name.startsWith(".")).toBe(false);
        expect(name).not.toMatch(/[. ]\.md$/);
        expect(Buffer.byteLength(name)).toBeLessThanOrEqual(210);
      }),
      { numRuns: 1000 },
    );
  });

  it("gives distinct names to distinct titles, even ignoring case", () => {
    fc.assert(
      fc.property(fc.uniqueArray(title, { maxLength: 20 }), (titles) => {
        const names = [...fileNamesForTitles(titles).values()].map((n) => n.normalize("NFC").toLowerCase());
        expect(new Set(names).size).toBe(titles.length);
      }),
      { numRuns: 300 },
    );
  });
});
