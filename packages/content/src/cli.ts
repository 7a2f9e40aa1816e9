import { access, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { loadAssignments } from "./assignment";
import { loadCourse, loadTranscript, resolveLessonsDir, validateContent } from "./course";
import { ContentError, formatProblem, ParseError } from "./errors";
import { importTranscript } from "./import-transcript";
import { convertJekyllLesson } from "./jekyll";
import { formatTime, parseTimeParam } from "./time";
import { chaptersToWebVTT, toPlainText, toSRT, toWebVTT } from "./transcript";

const USAGE = `Usage: content-import <command> [options]

Commands:
  lesson <jekyll-page.md> --out <lessons-dir> [--order N] [--slug S] [--synopsis TEXT] [--duration T] [--force]
      Convert a Jekyll lesson page into <lessons-dir>/<slug>.mdx (validated; never overwrites without --force).
  transcript <file> --lesson <slug> [--content <dir>] [--format whisper|vtt|srt|auto] [--chapters] [--language en]
      Import a transcript into <slug>.transcript.json; --chapters also writes the chapter list found in the file.
  check [--content <dir>] [--no-compile]
      Validate all content; lists every problem and exits 1 if there is any.
  export <slug> --as vtt|srt|text|chapters [--content <dir>]
      Print a lesson's transcript (or chapters) as WebVTT, SRT or plain text.

<dir> is the content root (containing lessons/) or the lessons folder. Default: $COURSE_CONTENT_DIR, else ./content.
Relative paths are resolved from the directory npm was started in ($INIT_CWD), else the current directory.`;

class UsageError extends Error {}

/** npm runs workspace scripts inside the package; resolve user paths against where npm was invoked. */
const baseDir = process.env.INIT_CWD ?? process.cwd();
const fromBase = (p: string) => path.resolve(baseDir, p);
/** A path as the user would type it: relative to where they are, absolute when outside it. */
const shown = (p: string) => {
  const relative = path.relative(baseDir, p);
  return relative.startsWith("..") || path.isAbsolute(relative) ? p : relative;
};
const contentDirOf = (value: string | undefined) => fromBase(value || process.env.COURSE_CONTENT_DIR || "content");

const timeArg = z
  .string()
  .transform((v, ctx) => {
    const seconds = parseTimeParam(v);
    if (seconds === null || seconds <= 0) {
      ctx.addIssue({ code: "custom", message: `expected a duration like 1834 or 30:34, got "${v}"` });
      return z.NEVER;
    }
    return seconds;
  })
  .optional();

function parseOptions<T extends z.ZodType>(schema: T, values: unknown): z.output<T> {
  const parsed = schema.safeParse(values);
  if (!parsed.success) {
    throw new UsageError(parsed.error.issues.map((i) => `--${i.path.join(".")}: ${i.message}`).join("\n"));
  }
  return parsed.data;
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

async function commandLesson(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { out: { type: "string" }, order: { type: "string" }, slug: { type: "string" }, synopsis: { type: "string" }, duration: { type: "string" }, force: { type: "boolean" } },
  });
  const opts = parseOptions(
    z.object({
      out: z.string({ error: "is required (the lessons folder, e.g. content/lessons/)" }),
      order: z.coerce.number({ error: "expected a whole number" }).int({ error: "expected a whole number" }).nonnegative().optional(),
      slug: z.string().optional(),
      synopsis: z.string().optional(),
      duration: timeArg,
      force: z.boolean().optional(),
    }),
    values,
  );
  if (positionals.length !== 1) throw new UsageError("lesson: expected exactly one Jekyll page file");
  const input = fromBase(positionals[0] ?? "");
  const page = await readFile(input, "utf8");
  console.log(`reading ${shown(input)}`);
  const result = convertJekyllLesson(page, {
    source: shown(input),
    ...(opts.order !== undefined ? { order: opts.order } : {}),
    ...(opts.slug !== undefined ? { slug: opts.slug } : {}),
    ...(opts.synopsis !== undefined ? { synopsis: opts.synopsis } : {}),
    ...(opts.duration !== undefined ? { duration: opts.duration } : {}),
  });
  const outDir = fromBase(opts.out);
  const target = path.join(outDir, `${result.slug}.mdx`);
  if (!opts.force && (await exists(target))) throw new UsageError(`${shown(target)} already exists (pass --force to overwrite)`);
  await mkdir(outDir, { recursive: true });
  await writeFile(target, result.mdx, "utf8");
  for (const warning of result.warnings) console.log(`  note: ${warning}`);
  const fm = result.frontMatter;
  console.log(`imported lesson ${fm.lesson} "${fm.title}" (order ${fm.order}) -> ${shown(target)}`);
}

async function commandTranscript(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { lesson: { type: "string" }, content: { type: "string" }, format: { type: "string" }, chapters: { type: "boolean" }, language: { type: "string" } },
  });
  const opts = parseOptions(
    z.object({
      lesson: z.string({ error: "is required (the lesson slug, e.g. lesson-1)" }),
      content: z.string().optional(),
      format: z.enum(["whisper", "vtt", "srt", "auto"]).default("auto"),
      chapters: z.boolean().default(false),
      language: z.string().default("en"),
    }),
    values,
  );
  if (positionals.length !== 1) throw new UsageError("transcript: expected exactly one transcript file");
  const input = fromBase(positionals[0] ?? "");
  const lessonsDir = await resolveLessonsDir(contentDirOf(opts.content));
  console.log(`reading ${shown(input)}`);
  const result = await importTranscript({ input, lessonsDir, slug: opts.lesson, format: opts.format, updateChapters: opts.chapters, language: opts.language });
  const chapterNote = result.chapters.length === 0 ? "" : `, ${result.chapters.length} chapters`;
  const emptyNote = result.emptySegments === 0 ? "" : ` (skipped ${result.emptySegments} empty)`;
  console.log(`imported ${result.cues} cues${emptyNote}${chapterNote} (${result.format}) -> ${shown(result.transcriptFile)}`);
  if (result.skippedLines > 0) console.log(`  skipped ${result.skippedLines} heading lines`);
  if (result.chaptersWritten) {
    console.log(`  chapters written to ${shown(result.lessonFile)}: ${result.chapters.map((c) => `${formatTime(c.start)} ${c.title}`).join(", ")}`);
  } else if (result.chapters.length > 0) {
    console.log(`  found ${result.chapters.length} chapters, not applied (pass --chapters to write them to ${shown(result.lessonFile)})`);
  } else if (opts.chapters) {
    console.log("  --chapters: the file has no chapter list; the lesson's chapters are unchanged");
  }
}

async function commandCheck(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { content: { type: "string" }, "no-compile": { type: "boolean" } } });
  const dir = contentDirOf(values.content);
  const started = performance.now();
  const problems = await validateContent(dir, { compile: !values["no-compile"] });
  if (problems.length > 0) {
    for (const p of problems) console.error(formatProblem(p));
    console.error(`\n${problems.length} content problem${problems.length === 1 ? "" : "s"}`);
    return 1;
  }
  const course = await loadCourse(dir);
  let assignments: number;
  try {
    assignments = (await loadAssignments(dir, { lessonSlugs: course.lessons.map((l) => l.slug) })).length;
  } catch (error) {
    if (!(error instanceof ContentError)) throw error;
    for (const p of error.problems) console.error(formatProblem(p));
    console.error(`\n${error.problems.length} content problem${error.problems.length === 1 ? "" : "s"}`);
    return 1;
  }
  console.log(
    `content ok: ${course.lessons.length} lessons, ${course.lessons.filter((l) => l.hasTranscript).length} with transcripts, ` +
      `${assignments} homework assignment${assignments === 1 ? "" : "s"} (${Math.round(performance.now() - started)} ms)`,
  );
  return 0;
}

async function commandExport(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { content: { type: "string" }, as: { type: "string" } } });
  const as = parseOptions(z.object({ as: z.enum(["vtt", "srt", "text", "chapters"]).default("vtt") }), values).as;
  const slug = positionals[0];
  if (slug === undefined) throw new UsageError("export: expected a lesson slug");
  const dir = contentDirOf(values.content);
  if (as === "chapters") {
    const lesson = (await loadCourse(dir)).lessons.find((l) => l.slug === slug);
    if (!lesson) throw new UsageError(`no lesson "${slug}"`);
    const transcript = await loadTranscript(dir, slug);
    const end = lesson.duration ?? transcript?.cues.at(-1)?.end ?? (lesson.chapters.at(-1)?.start ?? 0) + 1;
    process.stdout.write(chaptersToWebVTT(lesson.chapters, end));
    return 0;
  }
  const transcript = await loadTranscript(dir, slug);
  if (!transcript) throw new UsageError(`lesson "${slug}" does not exist or has no transcript`);
  process.stdout.write(as === "vtt" ? toWebVTT(transcript.cues) : as === "srt" ? toSRT(transcript.cues) : toPlainText(transcript.cues));
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "lesson":
      await commandLesson(rest);
      return 0;
    case "transcript":
      await commandTranscript(rest);
      return 0;
    case "check":
      return commandCheck(rest);
    case "export":
      return commandExport(rest);
    case undefined:
    case "help":
    case "--help":
    case "-h":
      console.log(USAGE);
      return command === undefined ? 2 : 0;
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof ContentError) {
    for (const p of error.problems) console.error(formatProblem(p));
  } else if (error instanceof ParseError) {
    console.error(error.message);
  } else if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
    console.error(`error: ${(error as Error).message}\n\n${USAGE}`);
    process.exitCode = 2;
  } else if ((error as { code?: string }).code === "ENOENT") {
    console.error(`error: ${(error as Error).message}`);
  } else {
    throw error;
  }
  process.exitCode ??= 1;
  if (process.exitCode === 0) process.exitCode = 1;
}
