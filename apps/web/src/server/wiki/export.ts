import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { PrismaClient } from "@course/db";
import { fileNamesForTitles, serializePage, type PageMeta } from "@course/wikitext";
import { keyToTitle } from "./titles";

/**
 * The whole wiki as one folder of markdown files, one per live page (deleted pages stay out), each with front
 * matter (see page-file.ts in @course/wikitext): title, redirect, categories, protection, and the current
 * revision's author, time, summary and minor mark. The current text only: the history stays in the database (its
 * backup is the place for it), so a re-import gives each page one revision, and exporting that again gives the
 * same files. Revision numbers are left out for that reason.
 */

export class ExportFolderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ExportFolderError";
  }
}

export interface ExportResult {
  pages: number;
  files: string[];
}

export async function exportWiki(prisma: PrismaClient, dir: string, options: { force?: boolean } = {}): Promise<ExportResult> {
  const existing = await readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return [];
    throw error;
  });
  if (existing.length > 0) {
    if (!options.force) throw new ExportFolderError(`${dir} is not empty. Export into a new or empty folder, or pass --force to replace its .md files.`);
    const others = existing.filter((e) => !(e.isFile() && e.name.endsWith(".md")));
    if (others.length > 0) throw new ExportFolderError(`${dir} holds more than page files (${others[0]!.name}); --force only replaces .md files.`);
    for (const e of existing) await rm(path.join(dir, e.name));
  }
  await mkdir(dir, { recursive: true });

  const pages = await prisma.wikiPage.findMany({
    where: { deletedAt: null, document: { currentNumber: { gt: 0 } } },
    select: {
      title: true,
      redirectKey: true,
      protection: true,
      protectionReason: true,
      categories: { select: { categoryKey: true } },
      document: { select: { id: true, currentNumber: true } },
    },
  });
  const names = fileNamesForTitles(pages.map((p) => p.title));
  const files: string[] = [];
  for (const page of pages) {
    const doc = page.document!;
    const revision = await prisma.revision.findUniqueOrThrow({
      where: { documentId_number: { documentId: doc.id, number: doc.currentNumber } },
      select: { body: true, createdAt: true, summary: true, minor: true, authorName: true, author: { select: { name: true, email: true } } },
    });
    const meta: PageMeta = {};
    if (page.redirectKey) meta.redirect = keyToTitle(page.redirectKey);
    const categories = page.categories.map((c) => keyToTitle(c.categoryKey)).sort();
    if (categories.length > 0) meta.categories = categories;
    if (page.protection !== "none") meta.protection = { edit: page.protection, ...(page.protectionReason ? { reason: page.protectionReason } : {}) };
    const author = revision.author ? revision.author.name || revision.author.email : revision.authorName;
    meta.revision = {
      ...(author ? { author } : {}),
      timestamp: revision.createdAt,
      ...(revision.summary ? { summary: revision.summary } : {}),
      ...(revision.minor ? { minor: true } : {}),
    };
    const name = names.get(page.title)!;
    await writeFile(path.join(dir, name), serializePage({ title: page.title, body: revision.body, meta }), "utf8");
    files.push(name);
  }
  files.sort();
  return { pages: pages.length, files };
}
