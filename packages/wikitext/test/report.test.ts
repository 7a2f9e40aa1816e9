import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { formatImportReport, ImportReportBuilder, readMediaWikiDump, wikitextToMarkdown, type DumpSiteInfo } from "../src/index";

describe("the import report", () => {
  it("counts pages, redirects, revisions, authors, namespaces and unconverted constructs of the hand-made dump", async () => {
    const builder = new ImportReportBuilder();
    let site: DumpSiteInfo | undefined;
    const xml = readFileSync(new URL("./fixtures/course-wiki.xml", import.meta.url), "utf8");
    for await (const page of readMediaWikiDump(xml, { onSiteInfo: (info) => (site = info) })) {
      const current = page.revisions[page.revisions.length - 1]!;
      builder.addPage(page, wikitextToMarkdown(current.text).unconverted);
    }
    const report = builder.build();
    expect(report).toEqual({
      pages: 5,
      redirects: 1,
      revisions: 6,
      authors: 3,
      namespaces: { 0: 3, 6: 1, 10: 1 },
      unconverted: { template: 2, "magic word": 1, "<ref>": 1, "template parameter": 1, "<noinclude>": 1 },
      pagesWithUnconverted: ["Lesson 1", "File:Cat confusion matrix.png", "Template:Note"],
      pagesWithUnconvertedCount: 3,
    });
    expect(formatImportReport(report, site!.namespaces)).toBe(
      [
        "                      count",
        "--------------------  -----",
        "pages                     5",
        "  of which redirects      1",
        "revisions                 6",
        "authors                   3",
        "",
        "namespace    pages",
        "-----------  -----",
        "0 (main)         3",
        "6 File           1",
        "10 Template      1",
        "",
        "kept verbatim       count",
        "------------------  -----",
        "template                2",
        "<noinclude>             1",
        "<ref>                   1",
        "magic word              1",
        "template parameter      1",
        "",
        "Pages with text kept verbatim (3):",
        "  Lesson 1",
        "  File:Cat confusion matrix.png",
        "  Template:Note",
        "",
      ].join("\n"),
    );
  });

  it("says so when everything converted, and counts with thousands separators", () => {
    const builder = new ImportReportBuilder();
    const revisions = Array.from({ length: 1234 }, (_, i) => ({
      id: i + 1,
      timestamp: new Date(0),
      author: { name: `u${i % 3}` },
      comment: "",
      minor: false,
      text: "",
    }));
    builder.addPage({ title: "A", namespace: 0, revisions });
    const text = formatImportReport(builder.build());
    expect(text).toContain("revisions             1,234");
    expect(text).toContain("authors                   3");
    expect(text).toContain("Everything converted; nothing kept verbatim.");
  });
});
