import { readdir, readFile, stat } from "node:fs/promises";
import { existsSync } from "node:fs";
import path from "node:path";
import { ContentError, type ContentProblem } from "./errors";
import { type LessonFrontMatter, parseLessonFrontMatter, SLUG, splitFrontMatter } from "./frontmatter";
import { loadForumCategories } from "./forum";
import { compileLessonMdx } from "./mdx";
import { checkMdxPolicy } from "./mdx-policy";
import type { Cue } from "./transcript";
import { parseTranscriptFile, TRANSCRIPT_SUFFIX } from "./transcript-file";

export const LESSON_EXTENSION = ".mdx";

/** A lesson as listed in the course: front matter, file facts and its neighbours. */
export interface LessonMeta extends LessonFrontMatter {
  /** From the file name: `lesson-1.mdx` -> `lesson-1`. */
  slug: string;
  /** Absolute path of the `.mdx` file. */
  file: string;
  /** Whether `<slug>.transcript.json` exists next to it. */
  hasTranscript: boolean;
  /** Slugs of the previous/next lesson in `order`, `null` at the ends. */
  prev: string | null;
  next: string | null;
}

export interface Course {
  /** Absolute path of the lessons folder. */
  lessonsDir: string;
  /** Lessons sorted by `order`. */
  lessons: LessonMeta[];
}

export interface LessonTranscript {
  /** BCP 47 language tag of the cues (for `<track srclang>`). */
  language: string;
  cues: Cue[];
}

/** A lesson ready to render: its meta, the compiled MDX body and its transcript, if any. */
export interface Lesson extends LessonMeta {
  /** Pass to `getMDXComponent(code)` from `mdx-bundler/client`, then render with the course components. */
  code: string;
  transcript: LessonTranscript | null;
}

export interface LoadOptions {
  /** Reuse parsed/compiled results while files are unchanged (mtime and size). Default true. */
  cache?: boolean;
}

/**
 * `contentDir` may be the content root (`content/`, lessons in `content/lessons/`) or the lessons
 * folder itself; this returns the absolute lessons folder.
 */
export async function resolveLessonsDir(contentDir: string): Promise<string> {
  const absolute = path.resolve(contentDir);
  const nested = path.join(absolute, "lessons");
  try {
    if ((await stat(nested)).isDirectory()) return nested;
  } catch {
    // no nested lessons folder: contentDir is the lessons folder
  }
  return absolute;
}

function display(file: string): string {
  const relative = path.relative(process.cwd(), file);
  if (relative === "") return ".";
  return relative.startsWith("..") || path.isAbsolute(relative) ? file : relative;
}

interface FileInfo {
  name: string;
  mtimeMs: number;
  size: number;
}

async function scan(lessonsDir: string): Promise<FileInfo[]> {
  let names: string[];
  try {
    names = await readdir(lessonsDir);
  } catch (error) {
    throw new ContentError([{ file: display(lessonsDir), message: `cannot read the lessons folder: ${(error as Error).message}` }]);
  }
  const relevant = names.filter((n) => n.endsWith(LESSON_EXTENSION) || n.endsWith(TRANSCRIPT_SUFFIX)).sort();
  return Promise.all(
    relevant.map(async (name) => {
      const s = await stat(path.join(lessonsDir, name));
      return { name, mtimeMs: s.mtimeMs, size: s.size };
    }),
  );
}

const signatureOf = (files: readonly FileInfo[]) => files.map((f) => `${f.name}:${f.mtimeMs}:${f.size}`).join("|");

const courseCache = new Map<string, { signature: string; result: Promise<{ course: Course; problems: ContentProblem[] }> }>();
type FileCache<T> = Map<string, { key: string; value: Promise<T> }>;
const compiled: FileCache<string> = new Map();
const transcripts: FileCache<LessonTranscript> = new Map();

/** Forgets every cached course, compiled lesson and transcript. */
export function clearContentCache(): void {
  courseCache.clear();
  compiled.clear();
  transcripts.clear();
}

async function readCourse(lessonsDir: string, files: readonly FileInfo[]): Promise<{ course: Course; problems: ContentProblem[] }> {
  const problems: ContentProblem[] = [];
  const names = new Set(files.map((f) => f.name));
  const lessons: LessonMeta[] = [];
  for (const file of files) {
    const absolute = path.join(lessonsDir, file.name);
    if (file.name.endsWith(TRANSCRIPT_SUFFIX)) {
      const slug = file.name.slice(0, -TRANSCRIPT_SUFFIX.length);
      if (!names.has(slug + LESSON_EXTENSION)) problems.push({ file: display(absolute), message: `transcript has no lesson: ${slug}${LESSON_EXTENSION} does not exist` });
      continue;
    }
    const slug = file.name.slice(0, -LESSON_EXTENSION.length);
    if (!SLUG.test(slug)) {
      problems.push({ file: display(absolute), message: `the file name must be a lowercase slug like "lesson-1${LESSON_EXTENSION}" (letters, digits, single dashes)` });
      continue;
    }
    const parsed = parseLessonFrontMatter(await readFile(absolute, "utf8"), display(absolute));
    if (!parsed.ok) {
      problems.push(...parsed.problems);
      continue;
    }
    lessons.push({ ...parsed.frontMatter, slug, file: absolute, hasTranscript: names.has(slug + TRANSCRIPT_SUFFIX), prev: null, next: null });
  }
  for (const [field, label] of [
    ["lesson", "lesson number"],
    ["order", "order"],
    ["forumThread", "forum_thread"],
  ] as const) {
    const seen = new Map<string | number, LessonMeta>();
    for (const lesson of lessons) {
      const value = lesson[field];
      const first = seen.get(value);
      if (first) {
        problems.push({ file: display(lesson.file), field: field === "forumThread" ? "forum_thread" : field, message: `duplicate ${label} ${JSON.stringify(value)}: ${display(first.file)} uses it too` });
      } else seen.set(value, lesson);
    }
  }
  lessons.sort((a, b) => a.order - b.order || a.slug.localeCompare(b.slug));
  lessons.forEach((lesson, i) => {
    lesson.prev = lessons[i - 1]?.slug ?? null;
    lesson.next = lessons[i + 1]?.slug ?? null;
  });
  return { course: { lessonsDir, lessons }, problems };
}

async function courseAndProblems(contentDir: string, options: LoadOptions): Promise<{ course: Course; problems: ContentProblem[] }> {
  const lessonsDir = await resolveLessonsDir(contentDir);
  const files = await scan(lessonsDir);
  if (options.cache === false) return readCourse(lessonsDir, files);
  const signature = signatureOf(files);
  const cached = courseCache.get(lessonsDir);
  if (cached && cached.signature === signature) return cached.result;
  const result = readCourse(lessonsDir, files);
  courseCache.set(lessonsDir, { signature, result });
  result.catch(() => courseCache.delete(lessonsDir));
  return result;
}

/**
 * Lists the course: every lesson's validated front matter, sorted by `order`, with derived
 * prev/next slugs and whether it has a transcript. Throws a {@link ContentError} listing every
 * front matter problem and every duplicate lesson number, order or forum thread. Cached until a
 * lesson or transcript file changes (checked by mtime and size on each call).
 */
export async function loadCourse(contentDir: string, options: LoadOptions = {}): Promise<Course> {
  const { course, problems } = await courseAndProblems(contentDir, options);
  if (problems.length > 0) throw new ContentError(problems);
  // Callers get their own copies so that mutating them cannot corrupt the cache.
  return structuredClone(course);
}

async function cachedByFile<T>(cache: FileCache<T>, file: string, extra: string, useCache: boolean, load: () => Promise<T>): Promise<T> {
  if (!useCache) return load();
  const s = await stat(file);
  const key = `${s.mtimeMs}:${s.size}:${extra}`;
  const hit = cache.get(file);
  if (hit && hit.key === key) return hit.value;
  const value = load();
  cache.set(file, { key, value });
  value.catch(() => cache.delete(file));
  return value;
}

function transcriptPath(meta: LessonMeta): string {
  return path.join(path.dirname(meta.file), meta.slug + TRANSCRIPT_SUFFIX);
}

async function readLessonTranscript(meta: LessonMeta, useCache: boolean): Promise<LessonTranscript | null> {
  if (!meta.hasTranscript) return null;
  const file = transcriptPath(meta);
  return cachedByFile(transcripts, file, String(meta.duration), useCache, async () => {
    const parsed = parseTranscriptFile(await readFile(file, "utf8"), display(file), { duration: meta.duration ?? undefined });
    if (!parsed.ok) throw new ContentError(parsed.problems);
    return { language: parsed.transcript.language, cues: parsed.transcript.cues };
  });
}

/**
 * Loads one lesson for rendering: meta (as in {@link loadCourse}), compiled MDX and transcript.
 * Returns `null` when no lesson has this slug (including slugs that are not valid slugs, so a URL
 * parameter can be passed straight in). Throws a {@link ContentError} when the course or this
 * lesson is invalid. Compiled code and transcripts are cached per file (mtime and size).
 */
export async function loadLesson(contentDir: string, slug: string, options: LoadOptions = {}): Promise<Lesson | null> {
  if (!SLUG.test(slug)) return null;
  const course = await loadCourse(contentDir, options);
  const meta = course.lessons.find((l) => l.slug === slug);
  if (!meta) return null;
  const useCache = options.cache !== false;
  const [code, transcript] = await Promise.all([
    cachedByFile(compiled, meta.file, String(meta.duration), useCache, async () => (await compileLessonMdx(await readFile(meta.file, "utf8"), display(meta.file), { duration: meta.duration ?? undefined })).code),
    readLessonTranscript(meta, useCache),
  ]);
  return { ...meta, code, transcript: transcript && structuredClone(transcript) };
}

/**
 * Loads only a lesson's transcript (for a captions route serving `toWebVTT(cues)`), without
 * compiling its MDX. `null` when the lesson does not exist or has no transcript.
 */
export async function loadTranscript(contentDir: string, slug: string, options: LoadOptions = {}): Promise<LessonTranscript | null> {
  if (!SLUG.test(slug)) return null;
  const course = await loadCourse(contentDir, options);
  const meta = course.lessons.find((l) => l.slug === slug);
  if (!meta) return null;
  const transcript = await readLessonTranscript(meta, options.cache !== false);
  return transcript && structuredClone(transcript);
}

export interface ValidateOptions {
  /** Also bundle every lesson with esbuild (catches everything rendering would hit). Default true. */
  compile?: boolean;
}

/**
 * Checks all content and returns every problem at once (empty when the content is valid): front
 * matter, duplicates, orphan transcripts, transcript files (schema, order, overlaps, duration), the
 * MDX policy and, unless `compile: false`, MDX compilation. Never throws for content problems.
 */
export async function validateContent(contentDir: string, options: ValidateOptions = {}): Promise<ContentProblem[]> {
  let result: { course: Course; problems: ContentProblem[] };
  try {
    result = await courseAndProblems(contentDir, { cache: false });
  } catch (error) {
    if (error instanceof ContentError) return [...error.problems];
    throw error;
  }
  const problems = [...result.problems];
  for (const meta of result.course.lessons) {
    const source = await readFile(meta.file, "utf8");
    const duration = meta.duration ?? undefined;
    const split = splitFrontMatter(source);
    const notebookExists = (relative: string) => existsSync(path.join(contentDir, relative));
    const policy = checkMdxPolicy(split ? split.bodyWithBlankFrontMatter : source, display(meta.file), { duration, notebookExists, hasVideo: meta.youtubeId !== null });
    problems.push(...policy);
    if (policy.length === 0 && options.compile !== false) {
      try {
        await compileLessonMdx(source, display(meta.file), { duration });
      } catch (error) {
        if (!(error instanceof ContentError)) throw error;
        problems.push(...error.problems);
      }
    }
    if (meta.hasTranscript) {
      const file = transcriptPath(meta);
      const parsed = parseTranscriptFile(await readFile(file, "utf8"), display(file), { duration });
      if (!parsed.ok) problems.push(...parsed.problems);
    }
  }
  try {
    await loadForumCategories(contentDir, result.course.lessons);
  } catch (error) {
    if (!(error instanceof ContentError)) throw error;
    problems.push(...error.problems);
  }
  return problems;
}
