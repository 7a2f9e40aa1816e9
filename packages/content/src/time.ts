/**
 * Time helpers shared by chapters, transcripts and `?t=` deep links.
 * All times in this package are seconds as JS numbers (millisecond precision).
 */

/** Rounds to whole milliseconds so parsed times compare exactly. */
export function roundMs(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}

function assertTime(seconds: number): void {
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw new RangeError(`expected a non-negative number of seconds, got ${String(seconds)}`);
  }
}

/**
 * Human clock time as shown next to chapters and on timestamps links:
 * `formatTime(83) === "1:23"`, `formatTime(3723) === "1:02:03"`. Fractions are truncated.
 */
export function formatTime(seconds: number): string {
  assertTime(seconds);
  const total = Math.floor(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

/**
 * Cue timestamp `HH:MM:SS.mmm` (WebVTT, Whisper) or `HH:MM:SS,mmm` (SRT with `separator: ","`).
 */
export function formatTimestamp(seconds: number, separator: "." | "," = "."): string {
  assertTime(seconds);
  const totalMs = Math.round(seconds * 1000);
  const ms = totalMs % 1000;
  const totalS = (totalMs - ms) / 1000;
  const h = Math.floor(totalS / 3600);
  const m = Math.floor((totalS % 3600) / 60);
  const s = totalS % 60;
  const p2 = (n: number) => String(n).padStart(2, "0");
  return `${p2(h)}:${p2(m)}:${p2(s)}${separator}${String(ms).padStart(3, "0")}`;
}

/** Result of a strict parse: the value, or what was wrong (used for line-numbered errors). */
export type TimeParse = { ok: true; seconds: number } | { ok: false; reason: string };

const CLOCK = /^(\d+):(\d{1,2})(?::(\d{1,2}))?$/;

/**
 * Parses a chapter clock time: `m:s` (seconds may be unpadded, as in `9:0`) or `h:mm:ss`.
 * Minutes may exceed 59 only in the two-part form.
 */
export function parseClock(text: string): TimeParse {
  const match = CLOCK.exec(text);
  if (!match) return { ok: false, reason: `"${text}" is not a time like m:ss or h:mm:ss` };
  const [, a, b, c] = match;
  const first = Number(a);
  const second = Number(b);
  if (c === undefined) {
    if (second > 59) return { ok: false, reason: `seconds must be 0-59 in "${text}"` };
    return { ok: true, seconds: first * 60 + second };
  }
  const third = Number(c);
  if (second > 59) return { ok: false, reason: `minutes must be 0-59 in "${text}"` };
  if (third > 59) return { ok: false, reason: `seconds must be 0-59 in "${text}"` };
  return { ok: true, seconds: first * 3600 + second * 60 + third };
}

/**
 * Parses a cue timestamp: `[h:]mm:ss.mmm`. `fraction` says which decimal separators are accepted
 * (WebVTT: ".", SRT: "," and leniently "."). Hours are optional; minutes and seconds are two digits.
 */
export function parseCueTimestamp(text: string, fraction: "." | "," | ".,"): TimeParse {
  const sep = fraction === "." ? "\\." : fraction === "," ? "," : "[.,]";
  const re = new RegExp(`^(?:(\\d+):)?(\\d{2}):(\\d{2})${sep}(\\d{3})$`);
  const match = re.exec(text);
  if (!match) {
    const example = fraction === "," ? "00:01:23,000" : "00:01:23.000";
    return { ok: false, reason: `"${text}" is not a timestamp like ${example}` };
  }
  const [, h, m, s, ms] = match;
  if (Number(m) > 59) return { ok: false, reason: `minutes must be 00-59 in "${text}"` };
  if (Number(s) > 59) return { ok: false, reason: `seconds must be 00-59 in "${text}"` };
  return { ok: true, seconds: roundMs(Number(h ?? 0) * 3600 + Number(m) * 60 + Number(s) + Number(ms) / 1000) };
}

const UNITS = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+(?:\.\d+)?)s)?$/;

/**
 * Parses the `?t=` deep-link parameter of a lesson page: `"83"`, `"83s"`, `"1m23s"`, `"1h2m3s"`,
 * `"1:23"`, `"1:02:03"`. Returns `null` when the value is not a time (the page then ignores it).
 */
export function parseTimeParam(value: string | null | undefined): number | null {
  if (value == null) return null;
  const text = value.trim().toLowerCase();
  if (text === "") return null;
  if (/^\d+(?:\.\d+)?$/.test(text)) return roundMs(Number(text));
  if (text.includes(":")) {
    const clock = parseClock(text);
    return clock.ok ? clock.seconds : null;
  }
  const match = UNITS.exec(text);
  if (!match) return null;
  const [, h, m, s] = match;
  if (h === undefined && m === undefined && s === undefined) return null;
  return roundMs(Number(h ?? 0) * 3600 + Number(m ?? 0) * 60 + Number(s ?? 0));
}
