import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PageFileError, parsePageFile, serializePage, type PageFile } from "../src/index";

const page: PageFile = {
  title: "Lesson 1",
  body: "**Lesson 1** starts here.\n\n[[Category:Lessons]]\n",
  meta: {
    categories: ["Lessons"],
    protection: { edit: "admin", reason: "stable text" },
    revision: { number: 2, author: "Grace", timestamp: new Date("2019-01-20T18:02:11Z"), summary: "Video timeline", minor: false },
    revisions: 2,
  },
};

describe("serializePage", () => {
  it("writes YAML front matter in a fixed order, then the body verbatim", () => {
    expect(serializePage(page)).toBe(
      [
        "---",
        "title: Lesson 1",
        "categories:",
        "  - Lessons",
        "protection:",
        "  edit: admin",
        "  reason: stable text",
        "revision:",
        "  number: 2",
        "  author: Grace",
        "  timestamp: 2019-01-20T18:02:11.000Z",
        "  summary: Video timeline",
        "  minor: false",
        "revisions: 2",
        "---",
        "**Lesson 1** starts here.",
        "",
        "[[Category:Lessons]]",
        "",
      ].join("\n"),
    );
  });

  it("writes a redirect page with its target and nothing left empty", () => {
    expect(serializePage({ title: "Lesson One", body: "#REDIRECT [[Lesson 1]]\n", meta: { redirect: "Lesson 1" } })).toBe(
      "---\ntitle: Lesson One\nredirect: Lesson 1\n---\n#REDIRECT [[Lesson 1]]\n",
    );
  });

  it("quotes titles YAML would read as something else", () => {
    for (const title of ["true", "123", "null", "- a", "a: b", "#x", "'quoted'", "---", "…", "a\n---\nb", " padded ", "tab\tend\n"]) {
      expect(parsePageFile(serializePage({ title, body: "", meta: {} })).title).toBe(title);
    }
  });

  it("refuses an empty title", () => {
    expect(() => serializePage({ title: "", body: "", meta: {} })).toThrow(/field "title": must not be empty/);
  });
});

describe("parsePageFile", () => {
  it("reads back what serializePage wrote", () => {
    expect(parsePageFile(serializePage(page))).toEqual(page);
  });

  it("accepts Windows line endings and a byte order mark, keeping the body as is", () => {
    const parsed = parsePageFile("\uFEFF---\r\ntitle: A\r\n---\r\nline\r\n");
    expect(parsed).toEqual({ title: "A", body: "line\r\n", meta: {} });
  });

  const error = (text: string) => {
    try {
      parsePageFile(text, "wiki/Lesson_1.md");
    } catch (e) {
      if (e instanceof PageFileError) return e;
      throw e;
    }
    throw new Error("no error");
  };

  it("names the file and the field that is wrong", () => {
    expect(error("---\ntitle: A\nrevision:\n  timestamp: yesterday\n---\n").message).toBe(
      'wiki/Lesson_1.md: front matter field "revision.timestamp": expected an ISO 8601 date and time, e.g. 2024-05-01T12:00:00Z',
    );
    expect(error("---\ntitle: A\ncategories: Lessons\n---\n").field).toBe("categories");
    expect(error("---\ntitle: A\nrevisions: -1\n---\n").field).toBe("revisions");
    expect(error("---\ntitle: A\ncategories: [Lessons, '']\n---\n").field).toBe("categories.1");
  });

  it("says when the title is missing and when a field is unknown", () => {
    expect(error("---\nredirect: B\n---\n").message).toBe('wiki/Lesson_1.md: front matter field "title": is required');
    expect(error("---\ntitle: A\ncategory: Lessons\n---\n").message).toBe('wiki/Lesson_1.md: front matter field "category": is not a known field');
    expect(error("---\ntitle: A\nrevision:\n  autor: B\n---\n").field).toBe("revision.autor");
  });

  it("says when there is no front matter, when it is not closed and when it is not YAML", () => {
    expect(error("# Just markdown\n").message).toBe("wiki/Lesson_1.md: does not start with front matter (a line `---`)");
    expect(error("---\ntitle: A\n").message).toBe("wiki/Lesson_1.md: front matter is not closed (no line `---` after it)");
    expect(error("---\ntitle: [A\n---\n").message).toMatch(/^wiki\/Lesson_1\.md: front matter is not valid YAML: /);
  });
});

describe("round trip", () => {
  const text = fc.fullUnicodeString({ maxLength: 40 });
  const nonEmpty = text.filter((s) => s.length > 0);
  const meta = fc.record(
    {
      categories: fc.array(nonEmpty, { maxLength: 4 }),
      redirect: nonEmpty,
      protection: fc.record({ edit: nonEmpty, move: nonEmpty, reason: fc.string() }, { requiredKeys: [] }),
      revision: fc.record(
        {
          number: fc.integer({ min: 1, max: 1_000_000 }),
          author: nonEmpty,
          timestamp: fc.date({ min: new Date("2001-01-01T00:00:00Z"), max: new Date("2100-01-01T00:00:00Z") }),
          summary: text,
          minor: fc.boolean(),
        },
        { requiredKeys: [] },
      ),
      revisions: fc.nat(),
    },
    { requiredKeys: [] },
  );
  const body = fc.oneof(
    fc.fullUnicodeString({ maxLength: 200 }),
    fc.array(fc.constantFrom("---", "", "title: x", "\r", "# H", "[[A|b]]", "  ", "...", "\t"), { maxLength: 10 }).map((l) => l.join("\n")),
  );

  it("gives back title, body and metadata exactly", () => {
    fc.assert(
      fc.property(nonEmpty, body, meta, (title, bodyText, m) => {
        const original: PageFile = { title, body: bodyText, meta: m };
        expect(parsePageFile(serializePage(original))).toEqual(original);
      }),
      { numRuns: 300 },
    );
  });
});
