import { describe, expect, it } from "vitest";
import {
  chaptersToWebVTT,
  DEFAULT_LAST_CUE_SECONDS,
  detectTranscriptFormat,
  ParseError,
  parseSRT,
  parseTranscript,
  parseWebVTT,
  parseWhisper,
  parseWhisperDocument,
  toPlainText,
  toSRT,
  toWebVTT,
  validateCues,
} from "../src/index";

function issuesOf(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    if (error instanceof ParseError) return error.issues;
    throw error;
  }
  throw new Error("expected a ParseError");
}

const WHISPER = "00:00:00.000 | First line\n00:00:08.000 | Second | with a bar\n00:00:14.640 | Third\n";

describe("parseWhisper", () => {
  it("ends each cue at the next start and the last after the default", () => {
    expect(parseWhisper(WHISPER)).toEqual([
      { start: 0, end: 8, text: "First line" },
      { start: 8, end: 14.64, text: "Second | with a bar" },
      { start: 14.64, end: 14.64 + DEFAULT_LAST_CUE_SECONDS, text: "Third" },
    ]);
  });

  it("ends the last cue at the video duration when known", () => {
    expect(parseWhisper(WHISPER, { duration: 100 }).at(-1)).toEqual({ start: 14.64, end: 100, text: "Third" });
  });

  it("accepts CRLF, a BOM and a comma fraction", () => {
    expect(parseWhisper("\uFEFF00:00:01,500 | a\r\n00:00:02.000 | b\r\n")).toEqual([
      { start: 1.5, end: 2, text: "a" },
      { start: 2, end: 7, text: "b" },
    ]);
  });

  it("reports bad timestamps and missing separators with line numbers", () => {
    const issues = issuesOf(() =>
      parseWhisper(["00:00:00.000 | ok", "00:00:0x.000 | bad stamp", "00:00:05.000 no separator", "00:00:06 | no fraction", "just words", "00:61:00.000 | bad minutes"].join("\n")),
    );
    expect(issues).toEqual([
      { line: 2, message: expect.stringContaining("bad timestamp") },
      { line: 3, message: expect.stringContaining('missing " | " separator') },
      { line: 4, message: 'bad timestamp: "00:00:06" is not a timestamp like 00:01:23.000' },
      { line: 5, message: expect.stringContaining('expected a transcript line "HH:MM:SS.mmm | text"') },
      { line: 6, message: expect.stringContaining("minutes must be 00-59") },
    ]);
  });

  it("skips empty segments, counts them, and ends the cue before each one where it starts", () => {
    // Whisper writes a segment without words for silence or music: `00:00:06.000 | ` (or the timestamp alone).
    const text = ["00:00:00.000 | Good morning.", "00:00:04.000 |   ", "00:00:06.000 | Today we train a model.", "00:00:09.500", "00:00:09.500 | Let us start.", "00:00:12.000 |"].join("\n");
    const doc = parseWhisperDocument(text);
    expect(doc.cues).toEqual([
      { start: 0, end: 4, text: "Good morning." },
      { start: 6, end: 9.5, text: "Today we train a model." },
      { start: 9.5, end: 12, text: "Let us start." },
    ]);
    expect(doc.emptySegments).toBe(3);
    expect(parseWhisper(text)).toEqual(doc.cues);
    // An empty segment at a cue's own start does not end it; it still may not go back in time.
    expect(parseWhisper("00:00:01.000 | a\n00:00:01.000 |\n00:00:03.000 | b\n")[0]).toEqual({ start: 1, end: 3, text: "a" });
    expect(issuesOf(() => parseWhisper("00:00:05.000 | a\n00:00:02.000 |\n00:00:08.000 | b\n"))).toEqual([
      { line: 2, message: "cue starts at 00:00:02.000, before the previous line 1 (00:00:05.000): timestamps must increase" },
    ]);
    // Two cues with text at the same time stay an error, an empty segment between them or not.
    expect(issuesOf(() => parseWhisper("00:00:01.000 | a\n00:00:01.000 |\n00:00:01.000 | b\n"))).toEqual([
      { line: 3, message: "cue starts at 00:00:01.000, at the same time as the previous line 1 (00:00:01.000): timestamps must increase" },
    ]);
    expect(issuesOf(() => parseWhisper("00:00:01.000 |\n00:00:02.000 |\n"))).toEqual([
      { line: 1, message: 'no transcript lines with text (only 2 empty segments) found (expected "HH:MM:SS.mmm | text")' },
    ]);
  });

  it("rejects equal timestamps (zero-length cue) and descending cues", () => {
    const issues = issuesOf(() => parseWhisper("00:00:00.000 | a\n00:00:05.000 | b\n00:00:05.000 | c\n00:00:03.000 | d\n"));
    expect(issues).toEqual([
      { line: 3, message: "cue starts at 00:00:05.000, at the same time as the previous line 2 (00:00:05.000): timestamps must increase" },
      { line: 4, message: "cue starts at 00:00:03.000, before the previous line 3 (00:00:05.000): timestamps must increase" },
    ]);
  });

  it("rejects cues that start past the end of the video", () => {
    const issues = issuesOf(() => parseWhisper("00:00:00.000 | a\n00:02:00.000 | b\n", { duration: 90 }));
    expect(issues).toEqual([{ line: 2, message: "cue 2 (00:02:00.000) starts past the end of the video (1:30)" }]);
  });

  it("rejects an empty transcript", () => {
    expect(issuesOf(() => parseWhisper("\n\n"))).toEqual([{ line: 1, message: expect.stringContaining("no transcript lines") }]);
  });
});

describe("parseWhisperDocument", () => {
  const page = "Some heading\n\nChapters\n\n0:0 Intro\n0:10 Next part\n\nTranscript | page\n\n00:00:00.000 | hello\n00:00:12.000 | world\n";
  it("reads chapters and cues and skips headings", () => {
    const doc = parseWhisperDocument(page, { document: true });
    expect(doc.chapters).toEqual([
      { start: 0, title: "Intro" },
      { start: 10, title: "Next part" },
    ]);
    expect(doc.cues).toHaveLength(2);
    expect(doc.skippedLines).toBe(3);
  });
  it("keeps any character in chapter titles, a bar included", () => {
    const doc = parseWhisperDocument("Chapters\n0:0 Welcome | what we build\n0:30 Q|A: 100% answered, \"quoted\" #1\n\n00:00:00.000 | hi\n", { document: true });
    expect(doc.chapters).toEqual([
      { start: 0, title: "Welcome | what we build" },
      { start: 30, title: 'Q|A: 100% answered, "quoted" #1' },
    ]);
    expect(doc.cues).toEqual([{ start: 0, end: DEFAULT_LAST_CUE_SECONDS, text: "hi" }]);
    // A time followed directly by a bar is a cue line with a bad timestamp, not a chapter titled "| ...".
    expect(issuesOf(() => parseWhisperDocument("0:0 Intro\n1:30 | words\n00:00:00.000 | hi\n00:00:0x.000 | typo\n", { document: true }))).toEqual([
      { line: 2, message: 'bad timestamp: "1:30" is not a timestamp like 00:01:23.000' },
      { line: 4, message: 'bad timestamp: "00:00:0x.000" is not a timestamp like 00:01:23.000' },
    ]);
  });
  it("reads chapter times past the hour written unpadded (h:m:s)", () => {
    const doc = parseWhisperDocument("0:0 Start\n59:59 Almost\n1:0:0 One hour\n1:12:7 Later | still\n\n00:00:00.000 | hi\n1:15:00.000 | bye\n", {
      document: true,
      duration: 4800,
    });
    expect(doc.chapters).toEqual([
      { start: 0, title: "Start" },
      { start: 3599, title: "Almost" },
      { start: 3600, title: "One hour" },
      { start: 4327, title: "Later | still" },
    ]);
    expect(doc.cues).toEqual([
      { start: 0, end: 4500, text: "hi" },
      { start: 4500, end: 4800, text: "bye" },
    ]);
  });
  it("reports malformed chapter lines and chapter order problems with line numbers", () => {
    const issues = issuesOf(() => parseWhisperDocument("0:5 Intro\n0:99 Bad\n0:3 Earlier\n00:00:00.000 | a\n", { document: true }));
    expect(issues).toEqual([
      { line: 1, message: expect.stringContaining("first chapter must start at 0:00") },
      { line: 2, message: expect.stringContaining("seconds must be 0-59") },
      { line: 3, message: expect.stringContaining("ascending order") },
    ]);
  });
});

const VTT = `WEBVTT - lesson captions

NOTE this is a comment
that spans two lines

STYLE
::cue { color: yellow }

intro
00:00:00.000 --> 00:00:04.000 align:start
<v Jeremy>Hello &amp; welcome</v>
to the course

00:04.500 --> 00:00:08.250
Second &lt;cue&gt;
`;

describe("parseWebVTT", () => {
  it("parses cues with identifiers, settings, short timestamps, tags and entities", () => {
    expect(parseWebVTT(VTT)).toEqual([
      { start: 0, end: 4, text: "Hello & welcome\nto the course" },
      { start: 4.5, end: 8.25, text: "Second <cue>" },
    ]);
  });

  it("round-trips: parse -> toWebVTT -> parse gives the same cues", () => {
    const cues = parseWebVTT(VTT);
    const again = parseWebVTT(toWebVTT(cues));
    expect(again).toEqual(cues);
    expect(toWebVTT(cues)).toBe("WEBVTT\n\n1\n00:00:00.000 --> 00:00:04.000\nHello &amp; welcome\nto the course\n\n2\n00:00:04.500 --> 00:00:08.250\nSecond &lt;cue&gt;\n");
  });

  it("round-trips Whisper cues whose text contains --> and <", () => {
    const cues = [{ start: 0, end: 1.5, text: "a --> b <c> & d" }];
    expect(parseWebVTT(toWebVTT(cues))).toEqual(cues);
  });

  it("reports a missing header, broken timing lines and bad timestamps", () => {
    const broken = "WEBVT\n\n00:00:00.000 --> 00:00:01.000\nok\n\n00:00:01.000 -> 00:00:02.000\nno arrow\n\n00:00:02.000 --> 00:00:03,000\ncomma\n\n00:00:03.000 --> 00:00:04.000\n";
    expect(issuesOf(() => parseWebVTT(broken))).toEqual([
      { line: 1, message: expect.stringContaining('missing "WEBVTT" header') },
      { line: 6, message: expect.stringContaining("cue has no timing line") },
      { line: 9, message: expect.stringContaining("bad timestamp") },
      { line: 12, message: expect.stringContaining("has no text") },
    ]);
  });

  it("rejects overlapping and unordered cues", () => {
    const overlapping = "WEBVTT\n\n00:00:00.000 --> 00:00:05.000\na\n\n00:00:04.000 --> 00:00:06.000\nb\n\n00:00:01.000 --> 00:00:02.000\nc\n";
    const issues = issuesOf(() => parseWebVTT(overlapping));
    expect(issues).toEqual([
      { line: 6, message: expect.stringContaining("overlaps the previous cue") },
      { line: 9, message: expect.stringContaining("cues must be in time order") },
    ]);
  });

  it("rejects a cue that ends before it starts", () => {
    expect(issuesOf(() => parseWebVTT("WEBVTT\n\n00:00:05.000 --> 00:00:01.000\nx\n"))[0]?.message).toContain("must end after it starts");
  });
});

const SRT = "1\n00:00:00,000 --> 00:00:02,500\n<i>Hello</i> there\n\n2\n00:00:02,500 --> 00:00:05,000\nSecond\nline\n";

describe("parseSRT", () => {
  it("parses numbered blocks and strips formatting tags", () => {
    expect(parseSRT(SRT)).toEqual([
      { start: 0, end: 2.5, text: "Hello there" },
      { start: 2.5, end: 5, text: "Second\nline" },
    ]);
  });
  it("round-trips through toSRT and converts to WebVTT", () => {
    const cues = parseSRT(SRT);
    expect(parseSRT(toSRT(cues))).toEqual(cues);
    expect(parseWebVTT(toWebVTT(cues))).toEqual(cues);
  });
  it("reports broken blocks with line numbers", () => {
    const broken = "1\n00:00:00,000 --> 00:00:02,500\nok\n\nx\n00:00:03,000 --> 00:00:04,000\nbad index\n\n3\n00:00:05 --> 00:00:06,000\nbad stamp\n\n4\nno timing\n";
    expect(issuesOf(() => parseSRT(broken))).toEqual([
      { line: 5, message: expect.stringContaining("expected a cue number") },
      { line: 10, message: expect.stringContaining("bad timestamp") },
      { line: 13, message: expect.stringContaining("cue has no timing line") },
    ]);
  });
});

describe("format detection and exports", () => {
  it("detects formats from names and content", () => {
    expect(detectTranscriptFormat("WEBVTT\n\n")).toBe("vtt");
    expect(detectTranscriptFormat("anything", "x.VTT")).toBe("vtt");
    expect(detectTranscriptFormat(SRT)).toBe("srt");
    expect(detectTranscriptFormat("", "a.srt")).toBe("srt");
    expect(detectTranscriptFormat(WHISPER, "a.txt")).toBe("whisper");
  });
  it("parseTranscript dispatches on the detected format", () => {
    expect(parseTranscript(SRT).format).toBe("srt");
    expect(parseTranscript(VTT).cues).toHaveLength(2);
    expect(parseTranscript(WHISPER, { format: "auto" }).format).toBe("whisper");
  });
  it("exports plain text with and without timestamps", () => {
    const cues = parseSRT(SRT);
    expect(toPlainText(cues)).toBe("Hello there\nSecond line\n");
    expect(toPlainText(cues, { timestamps: true })).toBe("[0:00] Hello there\n[0:02] Second line\n");
  });
  it("exports chapters as a WebVTT chapters track", () => {
    const vtt = chaptersToWebVTT([{ start: 0, title: "Intro" }, { start: 83, title: "Q&A" }], 120);
    expect(vtt).toBe("WEBVTT\n\n00:00:00.000 --> 00:01:23.000\nIntro\n\n00:01:23.000 --> 00:02:00.000\nQ&amp;A\n");
    expect(parseWebVTT(vtt).map((c) => c.text)).toEqual(["Intro", "Q&A"]);
  });
  it("validateCues allows a last cue to end within the duration tolerance only", () => {
    expect(validateCues([{ start: 0, end: 10.5, text: "a" }], { duration: 10 })).toEqual([]);
    expect(validateCues([{ start: 0, end: 12, text: "a" }], { duration: 10 })[0]?.message).toContain("past the end of the video");
  });
});
