import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { type Course, loadCourse, loadTranscript, splitFrontMatter } from "@course/content";
import type { PrismaClient } from "@course/db";
import { replaceDocuments, type SearchDocumentInput } from "./documents";

/** Bump when what the course contributes to the index changes shape, so existing installs reindex once. */
const INDEX_FORMAT = 1;
const SOURCE = "course";

/** Readable text from an MDX lesson body: components and markdown syntax dropped, code and words kept. */
export function mdxToText(mdx: string): string {
  return mdx
    .replace(/^(import|export)\s.*$/gm, " ")
    .replace(/<\/?[A-Za-z][^>]*>/g, " ")
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/^```.*$/gm, " ")
    .replace(/[`*#>|]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** Every lesson (title; synopsis, chapters and text) and every transcript line, as search documents. */
export async function courseDocuments(contentDir: string): Promise<{ lessons: SearchDocumentInput[]; transcripts: SearchDocumentInput[] }> {
  const course = await loadCourse(contentDir);
  const lessons: SearchDocumentInput[] = [];
  const transcripts: SearchDocumentInput[] = [];
  for (const lesson of course.lessons) {
    const source = await readFile(lesson.file, "utf8");
    const text = mdxToText(splitFrontMatter(source)?.body ?? source);
    lessons.push({
      key: lesson.slug,
      url: `/lessons/${lesson.slug}`,
      title: lesson.title,
      body: [lesson.synopsis, lesson.chapters.map((c) => c.title).join(". "), text].filter(Boolean).join("\n\n"),
      lessonSlug: lesson.slug,
      seconds: null,
    });
    const transcript = await loadTranscript(contentDir, lesson.slug);
    transcript?.cues.forEach((cue, index) => {
      const seconds = Math.floor(cue.start);
      transcripts.push({
        key: `${lesson.slug}#${index}`,
        url: `/lessons/${lesson.slug}?t=${seconds}`,
        // Untitled: the lesson's title would otherwise weigh every line of it above real matches.
        title: "",
        body: cue.text,
        lessonSlug: lesson.slug,
        seconds,
      });
    });
  }
  return { lessons, transcripts };
}

export function contentHash(docs: { lessons: SearchDocumentInput[]; transcripts: SearchDocumentInput[] }): string {
  return createHash("sha256").update(JSON.stringify({ format: INDEX_FORMAT, ...docs })).digest("hex");
}

export interface CourseIndexResult {
  reindexed: boolean;
  lessons: number;
  transcriptLines: number;
}

/**
 * Brings the course's documents in the index up to date with the content folder. It hashes what it would index
 * and compares with the hash stored at the last indexing: unchanged content costs one read of the files and one
 * query. The rewrite runs in one transaction under an advisory lock (several web instances may start at once).
 */
export async function indexCourse(prisma: PrismaClient, contentDir: string): Promise<CourseIndexResult> {
  const docs = await courseDocuments(contentDir);
  const hash = contentHash(docs);
  const counts = { lessons: docs.lessons.length, transcriptLines: docs.transcripts.length };
  const stored = await prisma.searchIndexState.findUnique({ where: { source: SOURCE } });
  if (stored?.contentHash === hash) return { reindexed: false, ...counts };
  const reindexed = await prisma.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(hashtext('search-index:course'))`);
      const again = await tx.searchIndexState.findUnique({ where: { source: SOURCE } });
      if (again?.contentHash === hash) return false;
      await replaceDocuments(tx, "lesson", docs.lessons);
      await replaceDocuments(tx, "transcript", docs.transcripts);
      await tx.searchIndexState.upsert({
        where: { source: SOURCE },
        create: { source: SOURCE, contentHash: hash },
        update: { contentHash: hash, indexedAt: new Date() },
      });
      return true;
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
  return { reindexed, ...counts };
}

/** A cheap fingerprint of the content files (names, sizes, mtimes): when it moves, the course may have changed. */
async function filesStamp(course: Course): Promise<string> {
  const parts: string[] = [];
  for (const lesson of course.lessons) {
    const transcript = path.join(path.dirname(lesson.file), `${lesson.slug}.transcript.json`);
    for (const file of [lesson.file, transcript]) {
      const s = await stat(file).catch(() => null);
      parts.push(s ? `${file}:${s.size}:${s.mtimeMs}` : `${file}:-`);
    }
  }
  return parts.join("|");
}

// Per database (tests open several in one process): the stamp indexed last, and the indexing under way.
const state = globalThis as unknown as { courseSearch?: WeakMap<PrismaClient, { stamp?: string; running: Promise<unknown> }> };

/**
 * Called at start-up and before each search: the content folder is re-read while the site runs (an imported
 * transcript appears without a restart), so the index follows it. Only a change in the files' sizes or times
 * leads to hashing, and only a change in the hash to reindexing.
 */
export async function ensureCourseIndexed(prisma: PrismaClient, contentDir: string): Promise<CourseIndexResult | null> {
  state.courseSearch ??= new WeakMap();
  let entry = state.courseSearch.get(prisma);
  if (!entry) state.courseSearch.set(prisma, (entry = { running: Promise.resolve() }));
  const stamp = `${contentDir}|${await filesStamp(await loadCourse(contentDir))}`;
  if (stamp === entry.stamp) return null;
  const run = entry.running.catch(() => undefined).then(() => indexCourse(prisma, contentDir));
  entry.running = run;
  const result = await run;
  entry.stamp = stamp;
  return result;
}
