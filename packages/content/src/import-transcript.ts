import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { ContentError } from "./errors";
import { parseLessonFrontMatter, replaceChapters } from "./frontmatter";
import { type TranscriptFormat, parseTranscript } from "./transcript";
import { TRANSCRIPT_SUFFIX, type TranscriptFile, serializeTranscriptFile } from "./transcript-file";
import type { Chapter } from "./chapters";

export interface ImportTranscriptOptions {
  /** The transcript to import (Whisper `HH:MM:SS.mmm | text` lines, optionally with a chapter list; WebVTT; SRT). */
  input: string;
  lessonsDir: string;
  slug: string;
  format?: TranscriptFormat | "auto";
  /** Replace the lesson's front matter chapters with the chapter list found in the input. */
  updateChapters?: boolean;
  language?: string;
}

export interface ImportTranscriptResult {
  format: TranscriptFormat;
  cues: number;
  /** Chapters found in the input. */
  chapters: Chapter[];
  chaptersWritten: boolean;
  /** Lines that were neither cues nor chapters (headings), skipped. */
  skippedLines: number;
  /** Whisper segments without text, skipped. */
  emptySegments: number;
  transcriptFile: string;
  lessonFile: string;
}

/**
 * Imports a transcript for an existing lesson: parses and validates it against the lesson's
 * duration, writes `<slug>.transcript.json` and, with `updateChapters`, the lesson's chapters.
 * Nothing is written when anything is invalid (a `ParseError` or `ContentError` is thrown).
 */
export async function importTranscript(options: ImportTranscriptOptions): Promise<ImportTranscriptResult> {
  const lessonFile = path.join(options.lessonsDir, `${options.slug}.mdx`);
  let lessonSource: string;
  try {
    lessonSource = await readFile(lessonFile, "utf8");
  } catch {
    throw new ContentError([{ file: lessonFile, message: `no lesson "${options.slug}" here; import or write the lesson first` }]);
  }
  const fm = parseLessonFrontMatter(lessonSource, lessonFile);
  if (!fm.ok) throw new ContentError(fm.problems);
  const duration = fm.frontMatter.duration ?? undefined;
  const text = await readFile(options.input, "utf8");
  const parsed = parseTranscript(text, { source: options.input, duration, format: options.format ?? "auto" });

  let chaptersWritten = false;
  if (options.updateChapters && parsed.chapters.length > 0) {
    const updated = replaceChapters(lessonSource, parsed.chapters);
    const check = parseLessonFrontMatter(updated, lessonFile);
    if (!check.ok) throw new ContentError(check.problems);
    lessonSource = updated;
    chaptersWritten = true;
  }
  const transcript: TranscriptFile = {
    version: 1,
    language: options.language ?? "en",
    source: { format: parsed.format, file: path.basename(options.input) },
    cues: parsed.cues,
  };
  const transcriptFile = path.join(options.lessonsDir, options.slug + TRANSCRIPT_SUFFIX);
  await writeFile(transcriptFile, serializeTranscriptFile(transcript), "utf8");
  if (chaptersWritten) await writeFile(lessonFile, lessonSource, "utf8");
  return { format: parsed.format, cues: parsed.cues.length, chapters: parsed.chapters, chaptersWritten, skippedLines: parsed.skippedLines, emptySegments: parsed.emptySegments, transcriptFile, lessonFile };
}

