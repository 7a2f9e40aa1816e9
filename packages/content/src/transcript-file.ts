import { readFile, writeFile } from "node:fs/promises";
import { z } from "zod";
import type { ContentProblem } from "./errors";
import { type Cue, validateCues } from "./transcript";

/**
 * A lesson's transcript is stored next to it as `content/lessons/<slug>.transcript.json`:
 *
 * ```json
 * {
 *   "version": 1,
 *   "language": "en",
 *   "source": { "format": "whisper", "file": "lesson-1.txt" },
 *   "cues": [
 *     { "start": 0, "end": 8, "text": "..." }
 *   ]
 * }
 * ```
 * Times are seconds (millisecond precision). Cues are an ordered array, never keyed by time.
 */
export const TRANSCRIPT_SUFFIX = ".transcript.json";

const seconds = z.number().finite().nonnegative();

export const transcriptFileSchema = z.strictObject({
  version: z.literal(1),
  language: z.string().regex(/^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/, "expected a BCP 47 language tag like \"en\"").default("en"),
  source: z
    .strictObject({
      format: z.enum(["whisper", "vtt", "srt"]),
      file: z.string().optional(),
    })
    .optional(),
  cues: z.array(z.strictObject({ start: seconds, end: seconds, text: z.string() })),
});

export type TranscriptFile = z.output<typeof transcriptFileSchema>;

/** Parses and validates a transcript file's JSON text; problems are attributed to `displayPath`. */
export function parseTranscriptFile(
  json: string,
  displayPath: string,
  options: { duration?: number | undefined } = {},
): { ok: true; transcript: TranscriptFile } | { ok: false; problems: ContentProblem[] } {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (error) {
    return { ok: false, problems: [{ file: displayPath, message: `invalid JSON: ${(error as Error).message}` }] };
  }
  const parsed = transcriptFileSchema.safeParse(data);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => ({
        file: displayPath,
        message: `${issue.path.length > 0 ? issue.path.map(String).join(".") : "(root)"}: ${issue.message}`,
      })),
    };
  }
  const issues = validateCues(parsed.data.cues, options);
  if (issues.length > 0) return { ok: false, problems: issues.map((i) => ({ file: displayPath, message: i.message })) };
  return { ok: true, transcript: parsed.data };
}

/** JSON with one cue per line, so transcript edits make readable diffs. */
export function serializeTranscriptFile(transcript: TranscriptFile): string {
  const head: Record<string, unknown> = { version: transcript.version, language: transcript.language };
  if (transcript.source) head.source = transcript.source;
  const headJson = JSON.stringify(head, null, 2).slice(0, -2);
  const cues = transcript.cues.map((c: Cue) => `    ${JSON.stringify({ start: c.start, end: c.end, text: c.text })}`);
  return `${headJson},\n  "cues": [\n${cues.join(",\n")}\n  ]\n}\n`;
}

export async function readTranscriptFile(path: string, displayPath = path, options: { duration?: number | undefined } = {}) {
  return parseTranscriptFile(await readFile(path, "utf8"), displayPath, options);
}

export async function writeTranscriptFile(path: string, transcript: TranscriptFile): Promise<void> {
  await writeFile(path, serializeTranscriptFile(transcript), "utf8");
}
