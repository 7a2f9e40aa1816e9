import { createReadStream, readFileSync } from "node:fs";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { MediaWikiDumpError, readMediaWikiDump, type DumpPage, type DumpSiteInfo } from "../src/index";

const FIXTURE = new URL("./fixtures/course-wiki.xml", import.meta.url);

async function collect(input: Readable | string, onSiteInfo?: (info: DumpSiteInfo) => void): Promise<DumpPage[]> {
  const pages: DumpPage[] = [];
  for await (const page of readMediaWikiDump(input, { onSiteInfo })) pages.push(page);
  return pages;
}

function dump(pages: string): string {
  return `<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.10/" version="0.10" xml:lang="en">\n${pages}\n</mediawiki>\n`;
}

function revision(id: number, timestamp: string, text: string, extra = ""): string {
  return `<revision><id>${id}</id><timestamp>${timestamp}</timestamp><contributor><username>Ada</username><id>7</id></contributor>${extra}<text xml:space="preserve">${text}</text></revision>`;
}

describe("readMediaWikiDump on the hand-made export", () => {
  it("reads every page with its namespace, redirect and revisions", async () => {
    let site: DumpSiteInfo | undefined;
    const pages = await collect(createReadStream(FIXTURE), (info) => (site = info));
    expect(pages.map((p) => [p.title, p.namespace, p.revisions.length, p.redirect])).toEqual([
      ["Lesson 1", 0, 2, undefined],
      ["Training tips", 0, 1, undefined],
      ["Lesson One", 0, 1, "Lesson 1"],
      ["File:Cat confusion matrix.png", 6, 1, undefined],
      ["Template:Note", 10, 1, undefined],
    ]);
    expect(site?.siteName).toBe("Course Wiki");
    expect(site?.namespaces.get(6)).toBe("File");
    expect(site?.namespaces.get(0)).toBe("");
  });

  it("reads a revision's fields: ids, time, author, comment, minor flag, text with entities decoded", async () => {
    const [lesson, tips] = await collect(readFileSync(FIXTURE, "utf8"));
    const latest = lesson!.revisions[1]!;
    expect(latest).toMatchObject({
      id: 14,
      parentId: 10,
      author: { name: "Grace", id: 1 },
      comment: "Video timeline, notebook section, results table",
      minor: false,
      model: "wikitext",
      format: "text/x-wiki",
    });
    expect(latest.timestamp.toISOString()).toBe("2019-01-20T18:02:11.000Z");
    expect(latest.text).toBe(readFileSync(new URL("./fixtures/lesson-page.wiki", import.meta.url), "utf8"));
    expect(lesson!.revisions[0]!.parentId).toBeUndefined();
    expect(tips!.revisions[0]).toMatchObject({ author: { ip: "192.0.2.44" }, minor: true });
  });

  it("gives the same pages whatever the chunks the stream delivers (one byte at a time, split UTF-8)", async () => {
    const bytes = readFileSync(FIXTURE);
    const whole = await collect(readFileSync(FIXTURE, "utf8"));
    const chunks = Readable.from((function* () {
      for (let i = 0; i < bytes.length; i += 7) yield bytes.subarray(i, i + 7);
    })());
    expect(await collect(chunks)).toEqual(whole);
    const unicode = dump(`<page><title>Café ☕ 𝔽</title><ns>0</ns>${revision(1, "2020-01-01T00:00:00Z", "naïve — 𝔽")}</page>`);
    const encoded = Buffer.from(unicode, "utf8");
    const oneByte = Readable.from((function* () {
      for (let i = 0; i < encoded.length; i++) yield encoded.subarray(i, i + 1);
    })());
    const [page] = await collect(oneByte);
    expect(page!.title).toBe("Café ☕ 𝔽");
    expect(page!.revisions[0]!.text).toBe("naïve — 𝔽");
  });
});

describe("readMediaWikiDump on edge cases", () => {
  it("sorts revisions by time, then id", async () => {
    const xml = dump(
      `<page><title>A</title><ns>0</ns>${revision(5, "2020-03-01T00:00:00Z", "c")}${revision(3, "2020-01-01T00:00:00Z", "a")}${revision(4, "2020-01-01T00:00:00Z", "b")}</page>`,
    );
    const [page] = await collect(xml);
    expect(page!.revisions.map((r) => r.text)).toEqual(["a", "b", "c"]);
  });

  it("keeps any namespace number, and talk pages", async () => {
    const xml = dump(`<page><title>Talk:A</title><ns>1</ns>${revision(1, "2020-01-01T00:00:00Z", "x")}</page><page><title>Custom:B</title><ns>3000</ns>${revision(2, "2020-01-01T00:00:00Z", "y")}</page>`);
    expect((await collect(xml)).map((p) => [p.title, p.namespace])).toEqual([["Talk:A", 1], ["Custom:B", 3000]]);
  });

  it("reads hidden authors and texts, empty text and CDATA", async () => {
    const xml = dump(
      `<page><title>A</title><ns>0</ns>` +
        `<revision><id>1</id><timestamp>2020-01-01T00:00:00Z</timestamp><contributor deleted="deleted" /><text deleted="deleted" /></revision>` +
        `<revision><id>2</id><timestamp>2020-01-02T00:00:00Z</timestamp><contributor><username>B</username></contributor><text bytes="0" xml:space="preserve" /></revision>` +
        `<revision><id>3</id><timestamp>2020-01-03T00:00:00Z</timestamp><contributor><username>B</username></contributor><text><![CDATA[a <b> & c]]></text></revision>` +
        `</page>`,
    );
    const [page] = await collect(xml);
    expect(page!.revisions.map((r) => [r.author, r.text])).toEqual([
      [{ hidden: true }, ""],
      [{ name: "B" }, ""],
      [{ name: "B" }, "a <b> & c"],
    ]);
  });

  it("ignores elements it does not know (uploads, discussion threading)", async () => {
    const xml = dump(
      `<page><title>File:A.png</title><ns>6</ns><id>9</id>${revision(1, "2020-01-01T00:00:00Z", "x")}<upload><timestamp>2020-01-01T00:00:00Z</timestamp><contributor><username>Z</username></contributor><comment>up</comment><filename>A.png</filename><size>12</size></upload></page>`,
    );
    const [page] = await collect(xml);
    expect(page).toMatchObject({ title: "File:A.png", namespace: 6, id: 9 });
    expect(page!.revisions).toHaveLength(1);
  });

  it("yields pages while reading, without waiting for the end of the file", async () => {
    let produced = 0;
    const total = 2000;
    const stream = Readable.from((function* () {
      yield "<mediawiki>";
      for (let i = 0; i < total; i++) {
        produced++;
        yield `<page><title>P${i}</title><ns>0</ns>${revision(i + 1, "2020-01-01T00:00:00Z", "x".repeat(1000))}</page>`;
      }
      yield "</mediawiki>";
    })());
    let first: number | undefined;
    let count = 0;
    for await (const page of readMediaWikiDump(stream)) {
      if (page.title === "P0") first = produced;
      count++;
    }
    expect(count).toBe(total);
    expect(first).toBeLessThan(total / 10);
  });
});

describe("readMediaWikiDump errors", () => {
  async function failure(input: string): Promise<MediaWikiDumpError> {
    try {
      await collect(input);
    } catch (error) {
      if (error instanceof MediaWikiDumpError) return error;
      throw error;
    }
    throw new Error("no error");
  }

  it("names the line and column of malformed XML", async () => {
    const error = await failure("<mediawiki>\n  <page>\n    <title>A</titel>\n  </page>\n</mediawiki>");
    expect(error.line).toBe(3);
    expect(error.message).toMatch(/^MediaWiki dump, line 3, column \d+: malformed XML: /);
  });

  it("says when the file ends early", async () => {
    const error = await failure("<mediawiki>\n<page><title>A</title>");
    expect(error.message).toMatch(/line 2.*malformed XML/);
  });

  it("refuses XML that is not a MediaWiki export, and an empty file", async () => {
    expect((await failure("<rss><channel/></rss>")).message).toContain("the root element is <rss>, expected <mediawiki>");
    expect((await failure("")).message).toBe("MediaWiki dump, line 1, column 1: malformed XML: document must contain a root element.");
  });

  it("says how to read a file when given a path instead of XML", async () => {
    await expect(collect("dump.xml")).rejects.toThrow('not a path: pass fs.createReadStream("dump.xml")');
  });

  it("names the page and field of a page without a title or with a bad timestamp", async () => {
    expect((await failure(dump("<page><ns>0</ns></page>"))).message).toContain("has no <title>");
    expect((await failure(dump(`<page><title>A</title><ns>0</ns>${revision(1, "yesterday", "x")}</page>`))).message).toContain(
      '<timestamp> is not a date: "yesterday"',
    );
  });
});
