import { ParseError, type ParseIssue } from "./errors";
import { formatTime, parseClock } from "./time";

/** A chapter of a lesson video: where it starts (seconds) and its title. */
export interface Chapter {
  start: number;
  title: string;
}

/** A problem with one chapter of an ordered list (`index` is 0-based). */
export interface ChapterIssue {
  index: number;
  /** Which part is wrong, for mapping onto front matter fields. */
  part: "start" | "title";
  message: string;
}

/**
 * Rules for a chapter list: the first chapter starts at 0:00, starts strictly ascend (two
 * chapters at the same time is a collision), titles are non-empty and, when the video duration is
 * known, every chapter starts before the end of the video.
 */
export function validateChapters(chapters: readonly Chapter[], options: { duration?: number | undefined } = {}): ChapterIssue[] {
  const issues: ChapterIssue[] = [];
  const { duration } = options;
  chapters.forEach((chapter, index) => {
    if (chapter.title.trim() === "") issues.push({ index, part: "title", message: "chapter title is empty" });
    if (index === 0 && chapter.start !== 0) {
      issues.push({ index, part: "start", message: `the first chapter must start at 0:00, got ${formatTime(chapter.start)}` });
    }
    const previous = chapters[index - 1];
    if (previous !== undefined) {
      if (chapter.start === previous.start) {
        issues.push({ index, part: "start", message: `chapter "${chapter.title}" starts at ${formatTime(chapter.start)}, the same time as chapter "${previous.title}"` });
      } else if (chapter.start < previous.start) {
        issues.push({ index, part: "start", message: `chapters must be in ascending order: "${chapter.title}" at ${formatTime(chapter.start)} comes after "${previous.title}" at ${formatTime(previous.start)}` });
      }
    }
    if (duration !== undefined && chapter.start >= duration) {
      issues.push({ index, part: "start", message: `chapter "${chapter.title}" starts at ${formatTime(chapter.start)}, past the end of the video (${formatTime(duration)})` });
    }
  });
  return issues;
}

/** A chapter line: `m:s Title` (seconds may be unpadded: `9:0 Intuition`) or `h:mm:ss Title`. */
export const CHAPTER_LINE = /^(\d+:\d{1,2}(?::\d{1,2})?)[ \t]+(.*)$/;

/** Parses one chapter line; `null` with a reason when it is malformed. */
export function parseChapterLine(line: string): { ok: true; chapter: Chapter } | { ok: false; reason: string } {
  const text = line.trim();
  const match = CHAPTER_LINE.exec(text);
  if (!match) {
    const first = text.split(/\s+/, 1)[0] ?? "";
    if (/^\d+:\d+(?::\d+)?$/.test(first)) {
      if (first === text) return { ok: false, reason: `missing chapter title after "${first}"` };
      const clock = parseClock(first);
      return { ok: false, reason: clock.ok ? `malformed chapter line "${text}"` : clock.reason };
    }
    return { ok: false, reason: `expected "m:ss Title" (for example "1:23 Teaching"), got "${text}"` };
  }
  const [, time = "", rawTitle = ""] = match;
  const clock = parseClock(time);
  if (!clock.ok) return { ok: false, reason: clock.reason };
  const title = rawTitle.trim();
  if (title === "") return { ok: false, reason: `missing chapter title after "${time}"` };
  return { ok: true, chapter: { start: clock.seconds, title } };
}

/**
 * Parses a chapter list, one `m:ss Title` per line (blank lines ignored), and validates it
 * (see {@link validateChapters}). Throws a {@link ParseError} listing every bad line.
 */
export function parseChapterList(text: string, options: { source?: string; duration?: number | undefined; firstLine?: number } = {}): Chapter[] {
  const source = options.source ?? "chapters";
  const firstLine = options.firstLine ?? 1;
  const issues: ParseIssue[] = [];
  const chapters: Chapter[] = [];
  const lines: number[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    if (raw.trim() === "") return;
    const parsed = parseChapterLine(raw);
    if (parsed.ok) {
      chapters.push(parsed.chapter);
      lines.push(firstLine + i);
    } else {
      issues.push({ line: firstLine + i, message: parsed.reason });
    }
  });
  return finishChapters(source, chapters, lines, issues, options.duration);
}

/** Validates chapters collected with their source lines; throws a ParseError when anything is wrong. */
export function finishChapters(source: string, chapters: Chapter[], lines: readonly number[], issues: ParseIssue[], duration: number | undefined): Chapter[] {
  for (const issue of validateChapters(chapters, { duration })) {
    issues.push({ line: lines[issue.index] ?? 0, message: issue.message });
  }
  if (issues.length > 0) throw new ParseError(source, issues.sort((a, b) => a.line - b.line));
  return chapters;
}
