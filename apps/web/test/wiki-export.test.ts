import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Database } from "@course/db";
import { parsePageFile } from "@course/wikitext";
import { describe, expect, it } from "vitest";
import { exportWiki } from "~/server/wiki/export";
import { importPageFiles, readPageFolder } from "~/server/wiki/import";
import { deletePage, protectPage, savePage, type WikiActor } from "~/server/wiki/pages";
import { rawText } from "~/server/wiki/read";
import { eachBackend, emptyDatabase } from "./support/backends";

const anon = { id: null, role: null };
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "wiki-export-"));
const readAll = (dir: string) => Object.fromEntries(fs.readdirSync(dir).sort().map((f) => [f, fs.readFileSync(path.join(dir, f), "utf8")]));

eachBackend((get: () => Database) => {
  describe("wiki export", () => {
    it("exports every page as a markdown file and re-imports it losslessly (export, import, export gives the same files)", async () => {
      const db = get();
      const { prisma } = db;
      const adaUser = await prisma.user.create({ data: { email: "ada@example.com", name: "Ada", role: "admin" } });
      const ada: WikiActor = { id: adaUser.id, name: "Ada", role: "admin" };
      const guest: WikiActor = { id: null, name: "Old Wiki User", role: "admin" };
      const at = (d: string) => new Date(d);
      const save = (title: string, body: string, author: WikiActor, when: string, extra: { summary?: string; minor?: boolean; baseRevision?: number } = {}) =>
        savePage(prisma, { title, body, author, at: at(when), baseRevision: extra.baseRevision ?? 0, ...(extra.summary ? { summary: extra.summary } : {}), ...(extra.minor ? { minor: true } : {}) });

      await save("Lesson 1", "# Lesson 1\n\nSee [[Über Straße]].\n\n[[Category:Lessons]]\n[[Category:Computer vision]]\n", ada, "2024-01-01T10:00:00Z");
      await save("Lesson 1", "# Lesson 1\n\nSee [[Über Straße]] and [[Lesson 1/Notes]].\n\n[[Category:Lessons]]\n[[Category:Computer vision]]\n", guest, "2024-01-02T10:00:00Z", { baseRevision: 1, summary: "links", minor: true });
      await save("Über Straße", "Unicode: ✓ «quotes» 日本語.\n", guest, "2024-01-03T10:00:00Z");
      await save("Lesson 1/Notes", "A sub-page with a slash.\n", ada, "2024-01-04T10:00:00Z");
      await save("LR finder", "Lower case.\n", ada, "2024-01-05T10:00:00Z");
      await save("LR Finder", "Upper case: another page that a case-insensitive file system would confuse.\n", ada, "2024-01-06T10:00:00Z");
      await save("Lesson one", "#REDIRECT [[Lesson 1]]\n", ada, "2024-01-07T10:00:00Z", { summary: "alias" });
      await save("Category:Lessons", "All the lessons.\n", ada, "2024-01-08T10:00:00Z");
      await save("Rules", "Be kind.\n", ada, "2024-01-09T10:00:00Z");
      await protectPage(prisma, { title: "Rules", level: "admin", reason: "stable", actor: ada });
      await save("Spam", "Gone.\n", ada, "2024-01-10T10:00:00Z");
      await deletePage(prisma, { title: "Spam", reason: "spam", actor: ada });

      const first = tmp();
      const exported = await exportWiki(prisma, first);
      expect(exported.pages).toBe(8);
      const files = readAll(first);
      expect(Object.keys(files)).toEqual([
        "Category%3ALessons.md",
        "LR_Finder.md",
        "LR_finder~2.md",
        "Lesson_1%2FNotes.md",
        "Lesson_1.md",
        "Lesson_one.md",
        "Rules.md",
        "Über_Straße.md",
      ]);
      expect(files["Lesson_1.md"]).toBe(
        [
          "---",
          "title: Lesson 1",
          "categories:",
          "  - Computer vision",
          "  - Lessons",
          "revision:",
          "  author: Old Wiki User",
          "  timestamp: 2024-01-02T10:00:00.000Z",
          "  summary: links",
          "  minor: true",
          "---",
          "# Lesson 1",
          "",
          "See [[Über Straße]] and [[Lesson 1/Notes]].",
          "",
          "[[Category:Lessons]]",
          "[[Category:Computer vision]]",
          "",
        ].join("\n"),
      );
      expect(parsePageFile(files["Rules.md"]!).meta.protection).toEqual({ edit: "admin", reason: "stable" });
      expect(parsePageFile(files["Lesson_one.md"]!).meta).toMatchObject({ redirect: "Lesson 1", revision: { author: "Ada", summary: "alias" } });

      // An export never overwrites by accident.
      await expect(exportWiki(prisma, first)).rejects.toThrow("is not empty");

      // Into an empty database (no accounts either), and out again.
      await emptyDatabase(db);
      const result = await importPageFiles(prisma, await readPageFolder(first));
      expect(result).toMatchObject({ created: 8, failed: [], revisionsWritten: 8 });
      expect([...result.authorsKept].sort()).toEqual(["Ada", "Old Wiki User"]);
      const second = tmp();
      await exportWiki(prisma, second);
      expect(readAll(second)).toEqual(files);

      // What the wiki knows follows: redirect, categories, protection, author and time.
      expect(await prisma.wikiPage.findUniqueOrThrow({ where: { key: "Lesson_one" } })).toMatchObject({ redirectKey: "Lesson_1" });
      expect(await prisma.wikiPage.findUniqueOrThrow({ where: { key: "Rules" } })).toMatchObject({ protection: "admin", protectionReason: "stable" });
      expect((await prisma.wikiCategory.findMany({ where: { categoryKey: "Lessons" } })).length).toBe(1);
      expect(await rawText(prisma, "Über Straße", anon)).toBe("Unicode: ✓ «quotes» 日本語.\n");

      // Importing the same folder again changes nothing; an edited file becomes the page's next revision.
      expect(await importPageFiles(prisma, await readPageFolder(first))).toMatchObject({ created: 0, updated: 0, unchanged: 8, revisionsWritten: 0 });
      fs.writeFileSync(path.join(first, "Rules.md"), files["Rules.md"]!.replace("Be kind.", "Be kind, always."));
      const edited = await importPageFiles(prisma, await readPageFolder(first));
      expect(edited).toMatchObject({ updated: 1, unchanged: 7, revisionsWritten: 1 });
      expect(await rawText(prisma, "Rules", anon)).toBe("Be kind, always.\n");
      const rules = await prisma.revision.findMany({ where: { document: { wikiPage: { key: "Rules" } } }, orderBy: { number: "asc" } });
      expect(rules.map((r) => r.number)).toEqual([1, 2]);
      expect(rules[1]!.createdAt.getTime()).toBeGreaterThan(rules[0]!.createdAt.getTime());
    });

    it("names the file and field of a bad page file, and refuses an unknown protection", async () => {
      const { prisma } = get();
      const dir = tmp();
      fs.writeFileSync(path.join(dir, "A.md"), "---\ntitle: A\nrevision:\n  timestamp: yesterday\n---\nText\n");
      await expect(readPageFolder(dir)).rejects.toThrow('A.md: front matter field "revision.timestamp"');
      fs.writeFileSync(path.join(dir, "A.md"), "---\ntitle: A\nprotection:\n  edit: sysop\n---\nText\n");
      const result = await importPageFiles(prisma, await readPageFolder(dir));
      expect(result.failed).toEqual([{ title: "A", error: 'A.md: protection.edit is "sysop"; expected one of none, grader, admin' }]);
      expect(await prisma.wikiPage.count()).toBe(0);
    });
  });
});
