import { decode } from "html-entities";
import { type Chapter, CHAPTER_LINE, finishChapters, parseChapterLine } from "./chapters";
import { ParseError, type ParseIssue } from "./errors";
import { formatTime, formatTimestamp, parseCueTimestamp, roundMs } from "./time";

/** One transcript cue: `[start, end)` in seconds and its text (may contain `\n`). */
export interface Cue {
  start: number;
  end: number;
  text: string;
}

export type TranscriptFormat = "whisper" | "vtt" | "srt";

/**
 * When a Whisper transcript's last cue has no next cue to end it and the video duration is unknown,
 * it ends this many seconds after it starts.
 */
export const DEFAULT_LAST_CUE_SECONDS = 5;

/** Durations are whole seconds while cues have milliseconds: a cue may end this much past the duration. */
export const DURATION_TOLERANCE_SECONDS = 1;

export interface CueIssue {
  index: number;
  message: string;
}

function describeCue(cue: Cue, index: number): string {
  return `cue ${index + 1} (${formatTimestamp(cue.start)})`;
}

/**
 * Rules for a transcript: every cue has text and ends after it starts, cues are ordered by start
 * time and do not overlap, and (when the duration is known) none runs past the end of the video.
 */
export function validateCues(cues: readonly Cue[], options: { duration?: number | undefined } = {}): CueIssue[] {
  const issues: CueIssue[] = [];
  const { duration } = options;
  cues.forEach((cue, index) => {
    const name = describeCue(cue, index);
    if (cue.text.trim() === "") issues.push({ index, message: `${name} has no text` });
    if (!(cue.end > cue.start)) {
      issues.push({ index, message: `${name} must end after it starts (ends at ${formatTimestamp(cue.end)})` });
    }
    const previous = cues[index - 1];
    if (previous !== undefined) {
      if (cue.start < previous.start) {
        issues.push({ index, message: `${name} starts before the previous cue (${formatTimestamp(previous.start)}): cues must be in time order` });
      } else if (cue.start < previous.end) {
        issues.push({ index, message: `${name} overlaps the previous cue, which ends at ${formatTimestamp(previous.end)}` });
      }
    }
    if (duration !== undefined) {
      if (cue.start >= duration) {
        issues.push({ index, message: `${name} starts past the end of the video (${formatTime(duration)})` });
      } else if (cue.end > duration + DURATION_TOLERANCE_SECONDS) {
        issues.push({ index, message: `${name} ends at ${formatTimestamp(cue.end)}, past the end of the video (${formatTime(duration)})` });
      }
    }
  });
  return issues;
}

function splitLines(text: string): string[] {
  return text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/);
}

function finishCues(source: string, cues: Cue[], lines: readonly number[], issues: ParseIssue[], duration: number | undefined): Cue[] {
  for (const issue of validateCues(cues, { duration })) {
    issues.push({ line: lines[issue.index] ?? 0, message: issue.message });
  }
  if (issues.length > 0) throw new ParseError(source, issues.sort((a, b) => a.line - b.line));
  return cues;
}

export interface ParseOptions {
  /** Name used in error messages (a file name). */
  source?: string;
  /** Video duration in seconds, when known: ends the last Whisper cue and bounds all times. */
  duration?: number | undefined;
}

/** A Whisper line: `00:00:08.000 | text`. Hours are optional; "," is accepted for the fraction. */
const WHISPER_TIMESTAMP = /^\d+:\d{2}(?::\d{2})?[.,]\d/;
/**
 * One token directly followed by `|`: a cue line whose timestamp may be malformed (`00:00:0x.000 | text`), so that
 * it is reported as a bad timestamp. A chapter line has a title after its time, and that title may itself hold a
 * `|` (`1:23 Setup | part 1`): the bar alone does not make a line a cue.
 */
const CUE_PREFIX = /^\d\S*[ \t]*\|/;

type LineKind = "cue" | "chapter" | "other";

function classify(line: string): LineKind {
  if (WHISPER_TIMESTAMP.test(line) || CUE_PREFIX.test(line)) return "cue";
  if (/^\d/.test(line)) return "chapter";
  return "other";
}

/** A parsed Whisper line; `text` is "" for an empty segment (`00:01:02.000 |`, or the timestamp alone). */
function parseWhisperLine(line: string): { ok: true; start: number; text: string } | { ok: false; reason: string } {
  const bar = line.indexOf("|");
  if (bar < 0) {
    const alone = parseCueTimestamp(line, ".,");
    if (alone.ok) return { ok: true, start: alone.seconds, text: "" };
    const first = line.split(/\s+/, 1)[0] ?? "";
    return { ok: false, reason: `missing " | " separator between the timestamp "${first}" and the text` };
  }
  const stamp = line.slice(0, bar).trim();
  const parsed = parseCueTimestamp(stamp, ".,");
  if (!parsed.ok) return { ok: false, reason: `bad timestamp: ${parsed.reason}` };
  return { ok: true, start: parsed.seconds, text: line.slice(bar + 1).trim() };
}

/** Result of reading a transcript document that may also carry a chapter list. */
export interface TranscriptDocument {
  cues: Cue[];
  chapters: Chapter[];
  /** Lines that were neither cues nor chapters (headings such as "Chapters"), skipped. */
  skippedLines: number;
  /** Whisper segments without text (silence, music), skipped: each ends the cue before it. */
  emptySegments: number;
}

interface WhisperSegment {
  start: number;
  /** "" for an empty segment. */
  text: string;
  line: number;
}

/**
 * Cues from the segments with text: each ends where the next segment starts (an empty one included: the words stop
 * there), the last at the duration or after {@link DEFAULT_LAST_CUE_SECONDS}.
 */
function endWhisperCues(segments: readonly WhisperSegment[], duration: number | undefined): Cue[] {
  const cues: Cue[] = [];
  segments.forEach((cue, i) => {
    if (cue.text === "") return;
    // An empty segment at the cue's own start time (zero length) does not end it.
    const next = segments.slice(i + 1).find((s) => s.start > cue.start);
    let end: number;
    if (next !== undefined) end = duration !== undefined ? Math.min(next.start, duration) : next.start;
    else if (duration !== undefined && duration > cue.start) end = duration;
    else end = cue.start + DEFAULT_LAST_CUE_SECONDS;
    cues.push({ start: cue.start, end: roundMs(end), text: cue.text });
  });
  return cues;
}

/**
 * Parses a Whisper transcript, one `HH:MM:SS.mmm | text` line per cue. A cue ends where the next
 * one starts; the last one ends at the video duration when known, else after
 * {@link DEFAULT_LAST_CUE_SECONDS}. With `document: true` the text may also hold a chapter list
 * (`m:ss Title` lines, `h:m:s` past the hour; titles may hold any character, `|` included) and headings
 * (lines not starting with a digit, skipped), like a video page export; without it every non-blank line must be a
 * cue. Empty segments (a timestamp without text) are skipped and counted. Throws a {@link ParseError} listing every
 * bad line.
 */
export function parseWhisperDocument(text: string, options: ParseOptions & { document?: boolean } = {}): TranscriptDocument {
  const source = options.source ?? "transcript";
  const issues: ParseIssue[] = [];
  const segments: WhisperSegment[] = [];
  const chapters: Chapter[] = [];
  const chapterLines: number[] = [];
  let skippedLines = 0;
  splitLines(text).forEach((raw, i) => {
    const line = raw.trim();
    const lineNo = i + 1;
    if (line === "") return;
    const kind = classify(line);
    if (kind === "cue" || !options.document) {
      const parsed = parseWhisperLine(line);
      if (parsed.ok) {
        segments.push({ start: parsed.start, text: parsed.text, line: lineNo });
      } else if (kind === "other") {
        issues.push({ line: lineNo, message: `expected a transcript line "HH:MM:SS.mmm | text", got "${line.slice(0, 60)}"` });
      } else {
        issues.push({ line: lineNo, message: parsed.reason });
      }
    } else if (kind === "chapter") {
      const parsed = parseChapterLine(line);
      if (parsed.ok) {
        chapters.push(parsed.chapter);
        chapterLines.push(lineNo);
      } else if (CHAPTER_LINE.test(line) || /^\d+:\d/.test(line)) {
        issues.push({ line: lineNo, message: parsed.reason });
      } else {
        issues.push({ line: lineNo, message: `expected a chapter line "m:ss Title" or a transcript line "HH:MM:SS.mmm | text", got "${line.slice(0, 60)}"` });
      }
    } else {
      skippedLines += 1;
    }
  });
  const spoken = segments.filter((s) => s.text !== "");
  if (spoken.length === 0 && issues.length === 0) {
    const empty = segments.length > 0 ? ` with text (only ${segments.length} empty segment${segments.length === 1 ? "" : "s"})` : "";
    issues.push({ line: 1, message: `no transcript lines${empty} found (expected "HH:MM:SS.mmm | text")` });
  }
  // A Whisper cue ends where the next starts, so equal or descending starts are reported on the
  // later line, in Whisper terms, instead of as zero-length or overlapping cues. Whisper may put an
  // empty segment at the same time as its neighbour; it must not go back in time either.
  let orderProblems = false;
  let lastSpoken: WhisperSegment | undefined;
  segments.forEach((segment, i) => {
    const previous = segments[i - 1];
    const against =
      previous !== undefined && segment.start < previous.start ? previous
      : segment.text !== "" && lastSpoken !== undefined && segment.start <= lastSpoken.start ? lastSpoken
      : undefined;
    if (segment.text !== "") lastSpoken = segment;
    if (against === undefined) return;
    orderProblems = true;
    const relation = segment.start === against.start ? "at the same time as" : "before";
    issues.push({ line: segment.line, message: `cue starts at ${formatTimestamp(segment.start)}, ${relation} the previous line ${against.line} (${formatTimestamp(against.start)}): timestamps must increase` });
  });
  if (orderProblems) throw new ParseError(source, issues.sort((a, b) => a.line - b.line));
  const cues = endWhisperCues(segments, options.duration);
  const cueLines = spoken.map((s) => s.line);
  let chapterError: ParseError | undefined;
  try {
    finishChapters(source, chapters, chapterLines, [], options.duration);
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    chapterError = error;
  }
  try {
    finishCues(source, cues, cueLines, issues, options.duration);
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    throw new ParseError(source, [...error.issues, ...(chapterError?.issues ?? [])].sort((a, b) => a.line - b.line));
  }
  if (chapterError) throw chapterError;
  return { cues, chapters, skippedLines, emptySegments: segments.length - spoken.length };
}

/** Parses a plain Whisper transcript (every non-blank line is `HH:MM:SS.mmm | text`). */
export function parseWhisper(text: string, options: ParseOptions = {}): Cue[] {
  return parseWhisperDocument(text, { ...options, document: false }).cues;
}

const TIMING = /^(\S+)[ \t]+-->[ \t]+(\S+)(?:[ \t]+(.*))?$/;

interface Block {
  firstLine: number;
  lines: string[];
}

function blocks(lines: readonly string[], from: number): Block[] {
  const result: Block[] = [];
  let current: Block | undefined;
  for (let i = from; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (line.trim() === "") {
      current = undefined;
      continue;
    }
    if (!current) {
      current = { firstLine: i + 1, lines: [] };
      result.push(current);
    }
    current.lines.push(line);
  }
  return result;
}

function parseTimedBlocks(
  source: string,
  all: Block[],
  fraction: "." | ".,",
  example: string,
  cleanText: (line: string) => string,
  duration: number | undefined,
  issues: ParseIssue[],
): Cue[] {
  const cues: Cue[] = [];
  const cueLines: number[] = [];
  for (const block of all) {
    const timingIndex = block.lines.findIndex((l) => l.includes("-->"));
    if (timingIndex < 0 || timingIndex > 1) {
      issues.push({ line: block.firstLine, message: `cue has no timing line (expected "${example}")` });
      continue;
    }
    const timingLineNo = block.firstLine + timingIndex;
    const timing = TIMING.exec((block.lines[timingIndex] ?? "").trim());
    if (!timing) {
      issues.push({ line: timingLineNo, message: `malformed timing line (expected "${example}")` });
      continue;
    }
    const start = parseCueTimestamp(timing[1] ?? "", fraction);
    const end = parseCueTimestamp(timing[2] ?? "", fraction);
    if (!start.ok || !end.ok) {
      for (const t of [start, end]) if (!t.ok) issues.push({ line: timingLineNo, message: `bad timestamp: ${t.reason}` });
      continue;
    }
    const rawText = block.lines.slice(timingIndex + 1);
    if (rawText.some((l) => l.includes("-->"))) {
      issues.push({ line: timingLineNo, message: "cue text contains \"-->\" (a blank line is probably missing between cues)" });
      continue;
    }
    const textLines = rawText.map(cleanText).filter((l) => l.trim() !== "");
    cues.push({ start: start.seconds, end: end.seconds, text: textLines.join("\n").trim() });
    cueLines.push(timingLineNo);
  }
  if (cues.length === 0 && issues.length === 0) issues.push({ line: 1, message: "no cues found" });
  return finishCues(source, cues, cueLines, issues, duration);
}

function cleanVttText(line: string): string {
  return decode(line.replace(/<[^>]*>/g, ""), { level: "html5" });
}

/**
 * Parses WebVTT: the `WEBVTT` header, optional NOTE/STYLE/REGION blocks (skipped), cues with an
 * optional identifier, `hh:mm:ss.ttt --> hh:mm:ss.ttt [settings]` and text. Tags (`<v Name>`, `<c>`,
 * inline timestamps) are stripped and character references decoded, so cue text is plain text.
 */
export function parseWebVTT(text: string, options: ParseOptions = {}): Cue[] {
  const source = options.source ?? "WebVTT";
  const lines = splitLines(text);
  const issues: ParseIssue[] = [];
  if (!/^WEBVTT(?:[ \t].*)?$/.test(lines[0] ?? "")) {
    issues.push({ line: 1, message: `missing "WEBVTT" header, got "${(lines[0] ?? "").slice(0, 40)}"` });
  }
  // The header block runs to the first blank line.
  let from = 0;
  while (from < lines.length && (lines[from] ?? "").trim() !== "") from++;
  const cueBlocks = blocks(lines, from).filter((b) => !/^(?:NOTE|STYLE|REGION)(?:[ \t]|$)/.test(b.lines[0] ?? ""));
  return parseTimedBlocks(source, cueBlocks, ".", "00:00:01.000 --> 00:00:04.000", cleanVttText, options.duration, issues);
}

function cleanSrtText(line: string): string {
  return line.replace(/<\/?(?:i|b|u|font)(?:\s[^>]*)?>/gi, "").replace(/\{\\an?\d\}/g, "");
}

/**
 * Parses SubRip (SRT): blocks of an index line, `00:00:01,000 --> 00:00:04,000` and text. A "."
 * fraction separator is accepted too; basic formatting tags are stripped.
 */
export function parseSRT(text: string, options: ParseOptions = {}): Cue[] {
  const source = options.source ?? "SRT";
  const lines = splitLines(text);
  const issues: ParseIssue[] = [];
  const all = blocks(lines, 0);
  for (const block of all) {
    const first = block.lines[0] ?? "";
    if (!first.includes("-->") && !/^\d+$/.test(first.trim())) {
      issues.push({ line: block.firstLine, message: `expected a cue number, got "${first.slice(0, 40)}"` });
    }
  }
  return parseTimedBlocks(source, all, ".,", "00:00:01,000 --> 00:00:04,000", cleanSrtText, options.duration, issues);
}

/** Guesses the format from the file name and content: `.vtt`/`WEBVTT`, `.srt`/numbered blocks, else Whisper. */
export function detectTranscriptFormat(text: string, fileName?: string): TranscriptFormat {
  const lower = fileName?.toLowerCase() ?? "";
  const head = text.replace(/^\uFEFF/, "").trimStart();
  if (lower.endsWith(".vtt") || head.startsWith("WEBVTT")) return "vtt";
  if (lower.endsWith(".srt") || /^\d+[ \t]*\r?\n[^\n]*-->/.test(head)) return "srt";
  return "whisper";
}

/**
 * Parses a transcript in any supported format (`auto` detects it). Whisper input may carry a
 * chapter list (see {@link parseWhisperDocument}); VTT and SRT never do.
 */
export function parseTranscript(text: string, options: ParseOptions & { format?: TranscriptFormat | "auto" } = {}): TranscriptDocument & { format: TranscriptFormat } {
  const format = !options.format || options.format === "auto" ? detectTranscriptFormat(text, options.source) : options.format;
  if (format === "whisper") return { format, ...parseWhisperDocument(text, { ...options, document: true }) };
  const cues = format === "vtt" ? parseWebVTT(text, options) : parseSRT(text, options);
  return { format, cues, chapters: [], skippedLines: 0, emptySegments: 0 };
}

function escapeVttText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function payload(text: string, escape: (t: string) => string): string {
  // A blank line would end the cue early.
  return text.split("\n").map((l) => escape(l.trim())).filter((l) => l !== "").join("\n");
}

/** Serializes cues as a valid WebVTT file (UTF-8, `text/vtt`), suitable for `<track kind="captions">`. */
export function toWebVTT(cues: readonly Cue[]): string {
  const body = cues.map((c, i) => `${i + 1}\n${formatTimestamp(c.start)} --> ${formatTimestamp(c.end)}\n${payload(c.text, escapeVttText)}`);
  return `WEBVTT\n\n${body.join("\n\n")}\n`;
}

/** Serializes cues as SubRip (SRT). */
export function toSRT(cues: readonly Cue[]): string {
  const body = cues.map((c, i) => `${i + 1}\n${formatTimestamp(c.start, ",")} --> ${formatTimestamp(c.end, ",")}\n${payload(c.text, (t) => t)}`);
  return `${body.join("\n\n")}\n`;
}

/**
 * A WebVTT chapters track (`<track kind="chapters">`): each chapter runs until the next one starts,
 * the last until `videoEnd` (the duration, or the end of the last transcript cue).
 */
export function chaptersToWebVTT(chapters: readonly Chapter[], videoEnd: number): string {
  const body = chapters.map((c, i) => {
    const end = chapters[i + 1]?.start ?? Math.max(videoEnd, c.start + 1);
    return `${formatTimestamp(c.start)} --> ${formatTimestamp(end)}\n${payload(c.title, escapeVttText)}`;
  });
  return `WEBVTT\n\n${body.join("\n\n")}\n`;
}

/** Plain text, one cue per line; with `timestamps: true` each line starts with `[m:ss]`. */
export function toPlainText(cues: readonly Cue[], options: { timestamps?: boolean } = {}): string {
  return cues
    .map((c) => {
      const text = c.text.replace(/\s*\n\s*/g, " ");
      return options.timestamps ? `[${formatTime(c.start)}] ${text}` : text;
    })
    .join("\n")
    .concat(cues.length > 0 ? "\n" : "");
}
