import fs from "node:fs";
import path from "node:path";
import type { Database, PrismaClient } from "@course/db";
import { describe, expect, it } from "vitest";
import { importMediaWikiDump } from "~/server/wiki/import";
import { formatWikiImportResult } from "~/server/wiki/import-report";
import { savePage } from "~/server/wiki/pages";
import { rawText, viewPage } from "~/server/wiki/read";
import { eachBackend } from "./support/backends";

const fixture = path.resolve(import.meta.dirname, "../../../packages/wikitext/test/fixtures/course-wiki.xml");
const anon = { id: null, role: null };

interface Rev {
  id: number;
  at: string;
  user?: string;
  ip?: string;
  text: string;
  comment?: string;
  minor?: boolean;
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** A Special:Export document (schema 0.11) with these pages. */
function dump(pages: Array<{ title: string; ns?: number; revisions: Rev[] }>): string {
  const page = (p: { title: string; ns?: number; revisions: Rev[] }, i: number) => `  <page>
    <title>${esc(p.title)}</title>
    <ns>${p.ns ?? 0}</ns>
    <id>${i + 1}</id>
${p.revisions
  .map(
    (r) => `    <revision>
      <id>${r.id}</id>
      <timestamp>${r.at}</timestamp>
      <contributor>${r.ip ? `<ip>${r.ip}</ip>` : `<username>${esc(r.user ?? "Ada")}</username><id>7</id>`}</contributor>
      ${r.minor ? "<minor/>" : ""}<comment>${esc(r.comment ?? "")}</comment>
      <model>wikitext</model>
      <format>text/x-wiki</format>
      <text xml:space="preserve">${esc(r.text)}</text>
    </revision>`,
  )
  .join("\n")}
  </page>`;
  return `<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11" xml:lang="en">
  <siteinfo><sitename>Test</sitename><namespaces><namespace key="0" /><namespace key="1">Talk</namespace><namespace key="14">Kategorie</namespace></namespaces></siteinfo>
${pages.map(page).join("\n")}
</mediawiki>
`;
}

async function history(prisma: PrismaClient, title: string) {
  const page = await prisma.wikiPage.findUnique({
    where: { key: title.replace(/ /g, "_") },
    select: { document: { select: { revisions: { orderBy: { number: "asc" }, select: { number: true, createdAt: true, authorId: true, authorName: true, summary: true, minor: true, body: true } } } } },
  });
  return page?.document?.revisions ?? null;
}

eachBackend((get: () => Database) => {
  describe("wiki import from MediaWiki", () => {
    it("imports a full-history export: pages, revisions, authors, times, markdown, redirects, categories, report", async () => {
      const { prisma } = get();
      const grace = await prisma.user.create({ data: { email: "grace@example.com", name: "grace", role: "student" } });
      const seen: string[] = [];
      const result = await importMediaWikiDump(prisma, fs.createReadStream(fixture), { onPage: (p) => seen.push(`${p.outcome} ${p.title} ${p.revisions}`) });

      expect(result.fatal).toBeUndefined();
      expect(result.failed).toEqual([]);
      expect(seen).toEqual(["created Lesson 1 2", "created Training tips 1", "created Lesson One 1", "created File:Cat confusion matrix.png 1"]);
      expect(result).toMatchObject({ created: 4, updated: 0, unchanged: 0, revisionsWritten: 5, skippedNamespaces: { Template: 1 } });
      expect(await prisma.wikiPage.count()).toBe(4);

      // Authors: "Grace" is an account here (names match ignoring case), the others keep their names.
      const lesson = (await history(prisma, "Lesson 1"))!;
      expect(lesson.map((r) => [r.number, r.createdAt.toISOString(), r.authorId, r.authorName, r.summary])).toEqual([
        [1, "2019-01-14T09:30:00.000Z", null, "Ada Lovelace", "First draft"],
        [2, "2019-01-20T18:02:11.000Z", grace.id, null, "Video timeline, notebook section, results table"],
      ]);
      expect([...result.authorsMapped]).toEqual([["Grace", "grace@example.com"]]);
      expect([...result.authorsKept].sort()).toEqual(["192.0.2.44", "Ada Lovelace"]);
      const tips = (await history(prisma, "Training tips"))!;
      expect(tips).toHaveLength(1);
      expect(tips[0]).toMatchObject({ authorName: "192.0.2.44", minor: true, summary: "Tips from the forum" });
      // An imported edit adds nobody to a watchlist.
      expect(await prisma.wikiWatch.count()).toBe(0);

      // The current text is markdown: headings, bold, italics, lists, links, code, the table, the image.
      const body = await rawText(prisma, "Lesson 1", anon);
      expect(body).toContain("## Video timeline");
      expect(body).toContain("**Lesson 1** gets a first image classifier");
      expect(body).toContain("[[Lesson 1 notes|student notes]]");
      expect(body).toContain("```python\nlearn = cnn_learner(data, models.resnet34, metrics=error_rate)");
      expect(body).toMatch(/\| Epoch \| Train loss \| Error rate \|/);
      expect(body).toContain("![The confusion matrix after four epochs](/wiki/File:Cat_confusion_matrix.png");
      expect(body).toContain("*Checking*");
      expect(body).toContain("```wikitext\n{{Lesson navigation|prev=Setup|next=Lesson 2}}\n```");
      const view = await viewPage(prisma, "Lesson 1", anon);
      expect(view.categories.sort()).toEqual(["Computer_vision", "Lessons"]);
      expect(view.rendered!.html).toContain('<h2 id="h-video-timeline">Video timeline</h2>');

      const redirect = await prisma.wikiPage.findUniqueOrThrow({ where: { key: "Lesson_One" } });
      expect(redirect.redirectKey).toBe("Lesson_1");
      expect(redirect.createdAt.toISOString()).toBe("2019-01-16T08:00:00.000Z");
      expect(await rawText(prisma, "File:Cat confusion matrix.png", anon)).toContain("Confusion matrix of the [[Lesson 1]] model");

      // The report: what was kept verbatim, with page and line, and the files to upload.
      expect(result.unconverted.map((u) => `${u.title}:${u.line}:${u.construct}`)).toEqual([
        "Lesson 1:1:template",
        "Lesson 1:2:magic word",
        "Lesson 1:12:<ref>",
        "File:Cat confusion matrix.png:4:template",
      ]);
      expect(result.missingFiles).toEqual(["Cat confusion matrix.png"]);
      expect(result.source).toMatchObject({ pages: 5, redirects: 1, revisions: 6, unconverted: { template: 2, "magic word": 1, "<ref>": 1 } });
      const text = formatWikiImportResult(result);
      expect(text).toContain("4 page(s) created, 0 updated, 0 already up to date");
      expect(text).toContain("Lesson 1, line 12: <ref>The matrix counts predictions per true label.</ref>");
      expect(text).toContain("Grace → grace@example.com");
      expect(text).toContain("File:Cat confusion matrix.png\n");
      expect(text).toContain("Template: 1 page(s)");

      // Again: everything is there already, nothing is written twice.
      const again = await importMediaWikiDump(prisma, fs.readFileSync(fixture, "utf8"));
      expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 4, revisionsWritten: 0 });
      expect(await prisma.revision.count()).toBe(5);
    });

    it("appends a later dump's new revisions, leaves pages edited here alone, and maps localized category titles", async () => {
      const { prisma } = get();
      const first = [
        { id: 1, at: "2020-01-01T10:00:00Z", user: "Ada", text: "One.\n" },
        { id: 2, at: "2020-01-02T10:00:00Z", user: "Ada", text: "One.\n", comment: "null edit" },
        { id: 3, at: "2020-01-03T10:00:00Z", ip: "10.0.0.1", text: "One. ''Two''.\n" },
      ];
      const pages = (revs: Rev[]) => [
        { title: "Notes", revisions: revs },
        { title: "Local", revisions: [{ id: 10, at: "2020-01-01T00:00:00Z", text: "From the old wiki.\n" }] },
        { title: "Kategorie:Lessons", ns: 14, revisions: [{ id: 11, at: "2020-01-01T00:00:00Z", text: "All lessons.\n" }] },
        { title: "Talk:Notes", ns: 1, revisions: [{ id: 12, at: "2020-01-01T00:00:00Z", text: "Chat.\n" }] },
      ];
      const r1 = await importMediaWikiDump(prisma, dump(pages(first)));
      expect(r1).toMatchObject({ created: 3, revisionsWritten: 4, skippedNamespaces: { Talk: 1 } });
      // The null edit writes no revision.
      expect((await history(prisma, "Notes"))!.map((r) => r.body)).toEqual(["One.\n", "One. *Two*.\n"]);
      expect(await rawText(prisma, "Category:Lessons", anon)).toBe("All lessons.\n");

      await savePage(prisma, { title: "Local", body: "Edited here.\n", baseRevision: 1, author: { id: null, name: "Someone", role: "student" } });
      const later = [...first, { id: 4, at: "2020-02-01T10:00:00Z", user: "Ada", text: "One. ''Two''. Three.\n", comment: "more" }];
      const r2 = await importMediaWikiDump(prisma, dump(pages(later)));
      expect(r2).toMatchObject({ created: 0, updated: 1, unchanged: 1, revisionsWritten: 1 });
      expect(r2.skipped).toEqual([{ title: "Local", reason: expect.stringContaining("has revisions the import does not") }]);
      expect((await history(prisma, "Notes"))!.map((r) => [r.number, r.createdAt.toISOString(), r.summary])).toEqual([
        [1, "2020-01-01T10:00:00.000Z", ""],
        [2, "2020-01-03T10:00:00.000Z", ""],
        [3, "2020-02-01T10:00:00.000Z", "more"],
      ]);
      expect(await rawText(prisma, "Local", anon)).toBe("Edited here.\n");
    });

    it("writes nothing of a page that fails, goes on with the next, and stops clearly at broken XML", async () => {
      const { prisma } = get();
      const huge = "x".repeat(100_001);
      const xml = dump([
        { title: "Big", revisions: [{ id: 1, at: "2020-01-01T00:00:00Z", text: "Small at first.\n" }, { id: 2, at: "2020-01-02T00:00:00Z", text: huge }] },
        { title: "Fine", revisions: [{ id: 3, at: "2020-01-01T00:00:00Z", text: "Fine.\n" }] },
        { title: "Bad%20title", revisions: [{ id: 4, at: "2020-01-01T00:00:00Z", text: "x\n" }] },
      ]);
      const result = await importMediaWikiDump(prisma, xml);
      expect(result.failed.map((f) => f.title)).toEqual(["Big", "Bad%20title"]);
      expect(result.failed[0]!.error).toContain("100000 characters");
      expect(result.failed[1]!.error).toContain("URL escapes");
      expect(await prisma.wikiPage.findUnique({ where: { key: "Big" } })).toBeNull();
      expect(await prisma.revision.count()).toBe(1);
      expect(formatWikiImportResult(result)).toContain("Failed (nothing written for these):\n  Big: ");

      const cut = dump([{ title: "Before", revisions: [{ id: 1, at: "2020-01-01T00:00:00Z", text: "Kept.\n" }] }]).replace("</mediawiki>", "<page><title>After</ti");
      const broken = await importMediaWikiDump(prisma, cut);
      expect(broken.created).toBe(1);
      expect(broken.fatal).toMatch(/^MediaWiki dump, line \d+, column \d+: malformed XML/);
      expect(formatWikiImportResult(broken)).toContain("Stopped: MediaWiki dump, line");

      const rss = await importMediaWikiDump(prisma, `<?xml version="1.0"?><rss><channel/></rss>`);
      expect(rss.fatal).toContain("not a MediaWiki export: the root element is <rss>");
      expect(await prisma.wikiPage.count()).toBe(2);
    });
  });
});
