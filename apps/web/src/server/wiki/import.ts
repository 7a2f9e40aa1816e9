import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import type { Prisma, PrismaClient } from "@course/db";
import {
  ImportReportBuilder,
  parsePageFile,
  readMediaWikiDump,
  wikitextToMarkdown,
  type DumpAuthor,
  type DumpPage,
  type ImportReport,
  type PageFile,
} from "@course/wikitext";
import { MAX_SUMMARY_CHARS } from "../revisions/documents";
import { PROTECTION_LEVELS, parseWikiTitle, savePageIn, type Protection } from "./pages";
import { viewsChanged } from "./views";

/**
 * Brings pages into the wiki: a MediaWiki XML export (Special:Export, full history) or a folder written by
 * exportWiki. Each page is written in one transaction through savePageIn (so links, categories, redirects and
 * search follow as for any edit); a page that fails leaves nothing behind and the import goes on with the next.
 *
 * Re-running is safe. A revision's key is its page and timestamp: dump revisions at or before the page's newest
 * revision here are taken as imported already, newer ones are appended (a later dump of the same wiki brings only
 * its new edits). A page whose history here has a revision the dump lacks (edited here since, or another page of the
 * same title) is left alone and listed. A folder's file adds a revision only when its text differs from the page's.
 */

type Tx = Prisma.TransactionClient;

/** MediaWiki namespaces brought in: articles, file description pages (as text; the files are not in the XML), categories. */
const NAMESPACE_PREFIX: ReadonlyMap<number, string> = new Map([
  [0, ""],
  [6, "File:"],
  [14, "Category:"],
]);
const HIDDEN_AUTHOR = "(username removed)";
/** A page with a long history is one transaction: give it time (PGlite runs everything on one connection anyway). */
const PAGE_TRANSACTION = { maxWait: 60_000, timeout: 10 * 60_000 } as const;

export type PageOutcome = "created" | "updated" | "unchanged" | "skipped" | "failed";

export interface PageProgress {
  title: string;
  outcome: PageOutcome;
  /** revisions written for this page */
  revisions: number;
  /** why it was skipped or failed */
  detail?: string;
}

export interface UnconvertedEntry {
  title: string;
  line: number;
  construct: string;
  source: string;
}

export interface WikiImportResult {
  /** What the source held (h6's report: pages, revisions, authors, namespaces, constructs kept verbatim). */
  source: ImportReport;
  namespaceNames: Map<number, string>;
  created: number;
  updated: number;
  unchanged: number;
  revisionsWritten: number;
  /** Pages of namespaces that are not imported, by namespace name. */
  skippedNamespaces: Record<string, number>;
  skipped: Array<{ title: string; reason: string }>;
  failed: Array<{ title: string; error: string }>;
  /** Source author name to the account it was mapped to (its email). */
  authorsMapped: Map<string, string>;
  /** Source author names kept as names (no account here, or several with that name). */
  authorsKept: Set<string>;
  /** Constructs kept verbatim in the pages' current text, with page and line of the wikitext. */
  unconverted: UnconvertedEntry[];
  /** Files the pages show or describe; the XML does not hold them, upload them separately. */
  missingFiles: string[];
  /** The source broke off (malformed XML): pages before it are imported, the rest is not. */
  fatal?: string;
}

export interface ImportOptions {
  onPage?: (progress: PageProgress) => void;
}

interface RevisionIn {
  body: string;
  at: Date;
  author: string;
  summary: string;
  minor: boolean;
}

function emptyResult(): WikiImportResult {
  return {
    source: new ImportReportBuilder().build(),
    namespaceNames: new Map(),
    created: 0,
    updated: 0,
    unchanged: 0,
    revisionsWritten: 0,
    skippedNamespaces: {},
    skipped: [],
    failed: [],
    authorsMapped: new Map(),
    authorsKept: new Set(),
    unconverted: [],
    missingFiles: [],
  };
}

/** Accounts by name and email (case, spaces and underscores ignored); a name two accounts share maps to neither. */
class Authors {
  private constructor(private readonly byName: Map<string, { id: string; email: string } | null>) {}

  static async load(db: PrismaClient | Tx): Promise<Authors> {
    const users = await db.user.findMany({ select: { id: true, email: true, name: true } });
    const byName = new Map<string, { id: string; email: string } | null>();
    const add = (name: string | null, user: { id: string; email: string }) => {
      if (!name) return;
      const key = Authors.key(name);
      const seen = byName.get(key);
      byName.set(key, seen === undefined || seen?.id === user.id ? user : null);
    };
    for (const u of users) {
      add(u.name, u);
      add(u.email, u);
    }
    return new Authors(byName);
  }

  private static key(name: string): string {
    return name.normalize("NFC").replace(/[\s_]+/g, " ").trim().toLowerCase();
  }

  resolve(name: string, result: WikiImportResult): { id: string | null; name: string } {
    const user = this.byName.get(Authors.key(name));
    if (user) {
      result.authorsMapped.set(name, user.email);
      return { id: user.id, name };
    }
    result.authorsKept.add(name);
    return { id: null, name };
  }
}

function authorName(author: DumpAuthor): string {
  if ("name" in author) return author.name.trim() || HIDDEN_AUTHOR;
  if ("ip" in author) return author.ip;
  return HIDDEN_AUTHOR;
}

function summaryOf(comment: string): string {
  const s = comment.replace(/\s+/g, " ").trim();
  return s.length > MAX_SUMMARY_CHARS ? `${s.slice(0, MAX_SUMMARY_CHARS - 1)}…` : s;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Writes revisions after the page's current one, in the caller's transaction. Returns how many were written
 * (an edit that changes nothing, MediaWiki's null edit, writes none).
 */
async function appendRevisions(tx: Tx, title: string, revisions: RevisionIn[], authors: Authors, result: WikiImportResult): Promise<number> {
  const doc = await tx.textDocument.findFirst({ where: { wikiPage: { key: parseWikiTitle(title).key } }, select: { currentNumber: true } });
  let base = doc?.currentNumber ?? 0;
  let written = 0;
  for (const r of revisions) {
    // A page cannot start empty here (MediaWiki allows it): its history starts at its first text.
    if (base === 0 && r.body.trim() === "") continue;
    const author = authors.resolve(r.author, result);
    const saved = await savePageIn(tx, {
      title,
      body: r.body,
      summary: r.summary,
      minor: r.minor,
      baseRevision: base,
      author: { ...author, role: "admin" },
      at: r.at,
      watch: false,
    });
    if (saved.status === "conflict") throw new Error(`revision of ${r.at.toISOString()} conflicts with the page's text`);
    if (saved.status === "saved") written++;
    base = saved.number;
  }
  return written;
}

/** The page here: its revisions' times, or null when it does not exist. */
async function existingTimes(db: PrismaClient | Tx, title: string): Promise<number[] | null> {
  const page = await db.wikiPage.findUnique({
    where: { key: parseWikiTitle(title).key },
    select: { deletedAt: true, document: { select: { revisions: { select: { createdAt: true } } } } },
  });
  if (!page) return null;
  return (page.document?.revisions ?? []).map((r) => r.createdAt.getTime());
}

function record(result: WikiImportResult, options: ImportOptions, progress: PageProgress) {
  if (progress.outcome === "created") result.created++;
  else if (progress.outcome === "updated") result.updated++;
  else if (progress.outcome === "unchanged") result.unchanged++;
  else if (progress.outcome === "skipped") result.skipped.push({ title: progress.title, reason: progress.detail ?? "" });
  else result.failed.push({ title: progress.title, error: progress.detail ?? "" });
  result.revisionsWritten += progress.revisions;
  options.onPage?.(progress);
}

/** The title here of a dump page: its namespace's prefix in English, as our titles have it. */
function localTitle(page: DumpPage, names: Map<number, string>): string | null {
  const prefix = NAMESPACE_PREFIX.get(page.namespace);
  if (prefix === undefined) return null;
  if (prefix === "") return page.title;
  const source = names.get(page.namespace);
  for (const p of [source ? `${source}:` : undefined, prefix]) {
    if (p && page.title.toLowerCase().startsWith(p.toLowerCase())) return prefix + page.title.slice(p.length);
  }
  return prefix + page.title;
}

/** Imports a MediaWiki XML export (a stream of the file, or its text). */
export async function importMediaWikiDump(prisma: PrismaClient, input: Readable | string, options: ImportOptions = {}): Promise<WikiImportResult> {
  const result = emptyResult();
  const report = new ImportReportBuilder();
  const authors = await Authors.load(prisma);
  const files = new Set<string>();
  try {
    const pages = readMediaWikiDump(input, {
      onSiteInfo: (info) => {
        result.namespaceNames = info.namespaces;
      },
    });
    for await (const page of pages) {
      const title = localTitle(page, result.namespaceNames);
      if (title === null) {
        report.addPage(page);
        const ns = result.namespaceNames.get(page.namespace) || `namespace ${page.namespace}`;
        result.skippedNamespaces[ns] = (result.skippedNamespaces[ns] ?? 0) + 1;
        continue;
      }
      if (page.namespace === 6) files.add(title.slice("File:".length));
      const collect = (name: string) => {
        files.add(name);
        return `/wiki/File:${encodeURIComponent(name.replace(/ /g, "_"))}`;
      };
      const revisions: RevisionIn[] = page.revisions.map((r, i) => {
        const last = i === page.revisions.length - 1;
        const conversion = wikitextToMarkdown(r.text, last ? { fileUrl: collect } : {});
        if (last) {
          report.addPage(page, conversion.unconverted);
          for (const u of conversion.unconverted) result.unconverted.push({ title, line: u.line, construct: u.construct, source: u.source });
        }
        return { body: conversion.markdown, at: r.timestamp, author: authorName(r.author), summary: summaryOf(r.comment), minor: r.minor };
      });
      if (page.revisions.length === 0) report.addPage(page);
      record(result, options, await importHistory(prisma, title, revisions, authors, result));
    }
  } catch (error) {
    result.fatal = message(error);
  }
  result.source = report.build();
  result.missingFiles = [...files].sort();
  return result;
}

async function importHistory(prisma: PrismaClient, rawTitle: string, revisions: RevisionIn[], authors: Authors, result: WikiImportResult): Promise<PageProgress> {
  let title = rawTitle;
  try {
    title = parseWikiTitle(rawTitle).title;
    return await prisma.$transaction(async (tx) => {
      const times = await existingTimes(tx, title);
      let todo = revisions;
      if (times !== null) {
        const dumpTimes = new Set(revisions.map((r) => r.at.getTime()));
        if (times.some((t) => !dumpTimes.has(t))) {
          return { title, outcome: "skipped", revisions: 0, detail: "the page here has revisions the import does not (edited here since, or another page of that title)" };
        }
        const newest = Math.max(0, ...times);
        todo = revisions.filter((r) => r.at.getTime() > newest);
      }
      const written = await appendRevisions(tx, title, todo, authors, result);
      const outcome: PageOutcome = written === 0 ? "unchanged" : times === null ? "created" : "updated";
      return { title, outcome, revisions: written };
    }, PAGE_TRANSACTION);
  } catch (error) {
    return { title, outcome: "failed", revisions: 0, detail: message(error) };
  }
}

/** Reads the `.md` files of a folder written by exportWiki (or by hand), sorted by file name. */
export async function readPageFolder(dir: string): Promise<Array<{ file: string; page: PageFile }>> {
  const names = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile() && e.name.endsWith(".md")).map((e) => e.name);
  names.sort();
  const pages: Array<{ file: string; page: PageFile }> = [];
  for (const name of names) pages.push({ file: name, page: parsePageFile(await readFile(path.join(dir, name), "utf8"), name) });
  return pages;
}

/**
 * Imports page files (see page-file.ts in @course/wikitext): each file is the page's current text, one revision
 * with the author, time and summary of its front matter, and the page's protection. The text is markdown already
 * and is stored as it is; categories and redirects come from the text, as for any edit.
 */
export async function importPageFiles(prisma: PrismaClient, files: Array<{ file: string; page: PageFile }>, options: ImportOptions = {}): Promise<WikiImportResult> {
  const result = emptyResult();
  const authors = await Authors.load(prisma);
  const report = new ImportReportBuilder();
  for (const { file, page } of files) {
    const meta = page.meta;
    const at = meta.revision?.timestamp ?? new Date();
    const author = meta.revision?.author ?? "import";
    report.addPage({
      title: page.title,
      namespace: page.title.startsWith("Category:") ? 14 : 0,
      ...(meta.redirect ? { redirect: meta.redirect } : {}),
      revisions: [{ id: 0, timestamp: at, author: { name: author }, comment: "", minor: false, text: "" }],
    });
    let title = page.title;
    let progress: PageProgress;
    try {
      title = parseWikiTitle(page.title).title;
      const protection = meta.protection?.edit ?? "none";
      const protectionReason = protection === "none" ? "" : (meta.protection?.reason ?? "").trim();
      if (!(PROTECTION_LEVELS as readonly string[]).includes(protection)) {
        throw new Error(`${file}: protection.edit is "${protection}"; expected one of ${PROTECTION_LEVELS.join(", ")}`);
      }
      progress = await prisma.$transaction(async (tx) => {
        const times = await existingTimes(tx, title);
        const newest = times === null ? 0 : Math.max(0, ...times);
        // An edited file re-imported is a new edit: it may not predate the page's history here.
        const when = times === null || at.getTime() > newest ? at : new Date(Math.max(Date.now(), newest + 1));
        const revision = { body: page.body, at: when, author, summary: summaryOf(meta.revision?.summary ?? ""), minor: meta.revision?.minor ?? false };
        const written = await appendRevisions(tx, title, [revision], authors, result);
        const key = parseWikiTitle(title).key;
        const current = await tx.wikiPage.findUnique({ where: { key }, select: { protection: true, protectionReason: true } });
        let outcome: PageOutcome = written === 0 ? "unchanged" : times === null ? "created" : "updated";
        if (current && (current.protection !== protection || current.protectionReason !== protectionReason)) {
          await setProtection(tx, key, title, protection as Protection, protectionReason);
          if (outcome === "unchanged") outcome = "updated";
        }
        return { title, outcome, revisions: written };
      }, PAGE_TRANSACTION);
    } catch (error) {
      progress = { title, outcome: "failed", revisions: 0, detail: message(error) };
    }
    record(result, options, progress);
  }
  result.source = report.build();
  return result;
}

async function setProtection(tx: Tx, key: string, title: string, level: Protection, reason: string) {
  const page = await tx.wikiPage.update({ where: { key }, data: { protection: level, protectionReason: reason }, select: { id: true } });
  await tx.wikiLogEntry.create({
    data: { action: level === "none" ? "unprotect" : "protect", pageId: page.id, title, detail: level, actorName: "import", reason: reason || "Imported" },
  });
  await viewsChanged(tx, [key]);
}
