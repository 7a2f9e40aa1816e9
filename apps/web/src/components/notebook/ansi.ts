// ANSI escape codes (colours in tracebacks and logs) -> styled text segments. Only SGR colour and weight codes are
// kept, as data; every other escape or control character is dropped, so nothing from the output becomes markup.

export interface AnsiStyle {
  fg?: string;
  bg?: string;
  bold?: boolean;
  dim?: boolean;
  italic?: boolean;
  underline?: boolean;
}

export interface AnsiSegment {
  text: string;
  style: AnsiStyle;
}

/** The 16 basic colours by name (CSS classes pick the actual colour, so themes can adapt them). */
export const ANSI_COLOR_NAMES = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"] as const;

// CSI (ESC [ ... final byte), OSC (ESC ] ... BEL or ESC \), other two-byte escapes.
// eslint-disable-next-line no-control-regex
const ESCAPE = /\x1b\[([0-9;:?<=>]*)([\x20-\x2f]*)([\x40-\x7e])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[\x20-\x7e]?/g;
// C0 controls other than tab and newline, DEL and C1 controls.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

const XTERM_LEVELS = [0, 95, 135, 175, 215, 255];

function xterm256(n: number): string | undefined {
  if (!Number.isInteger(n) || n < 0 || n > 255) return undefined;
  if (n < 16) return (n >= 8 ? "bright-" : "") + ANSI_COLOR_NAMES[n % 8];
  if (n >= 232) {
    const v = 8 + (n - 232) * 10;
    return `rgb(${v},${v},${v})`;
  }
  const i = n - 16;
  return `rgb(${XTERM_LEVELS[Math.floor(i / 36)]},${XTERM_LEVELS[Math.floor(i / 6) % 6]},${XTERM_LEVELS[i % 6]})`;
}

const byte = (s: string | undefined) => {
  const n = Number(s);
  return Number.isInteger(n) && n >= 0 && n <= 255 ? n : undefined;
};

function applySgr(style: AnsiStyle, params: string): AnsiStyle {
  const codes = params === "" ? [0] : params.split(/[;:]/).map((p) => (p === "" ? 0 : Number(p)));
  let next: AnsiStyle = { ...style };
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i]!;
    if (code === 0) next = {};
    else if (code === 1) next.bold = true;
    else if (code === 2) next.dim = true;
    else if (code === 3) next.italic = true;
    else if (code === 4) next.underline = true;
    else if (code === 22) {
      delete next.bold;
      delete next.dim;
    } else if (code === 23) delete next.italic;
    else if (code === 24) delete next.underline;
    else if (code >= 30 && code <= 37) next.fg = ANSI_COLOR_NAMES[code - 30];
    else if (code >= 90 && code <= 97) next.fg = `bright-${ANSI_COLOR_NAMES[code - 90]}`;
    else if (code >= 40 && code <= 47) next.bg = ANSI_COLOR_NAMES[code - 40];
    else if (code >= 100 && code <= 107) next.bg = `bright-${ANSI_COLOR_NAMES[code - 100]}`;
    else if (code === 39) delete next.fg;
    else if (code === 49) delete next.bg;
    else if (code === 38 || code === 48) {
      let color: string | undefined;
      if (codes[i + 1] === 5) {
        color = xterm256(codes[i + 2] ?? -1);
        i += 2;
      } else if (codes[i + 1] === 2) {
        const [r, g, b] = [byte(String(codes[i + 2])), byte(String(codes[i + 3])), byte(String(codes[i + 4]))];
        if (r !== undefined && g !== undefined && b !== undefined) color = `rgb(${r},${g},${b})`;
        i += 4;
      }
      if (color) {
        if (code === 38) next.fg = color;
        else next.bg = color;
      }
    }
  }
  return next;
}

/**
 * Applies carriage returns the way a terminal shows them: on each line only what was written after the last
 * `\r` remains (progress bars redraw themselves with `\r`). `\r\n` is a plain line end.
 */
export function applyCarriageReturns(text: string): string {
  if (!text.includes("\r")) return text;
  return text
    .replace(/\r\n/g, "\n")
    .split("\n")
    .map((line) => {
      const parts = line.split("\r");
      // An empty trailing part means the line ended in "\r": the last redraw is still what shows.
      for (let i = parts.length - 1; i >= 0; i--) if (parts[i] !== "") return parts[i];
      return "";
    })
    .join("\n");
}

const sameStyle = (a: AnsiStyle, b: AnsiStyle) =>
  a.fg === b.fg && a.bg === b.bg && a.bold === b.bold && a.dim === b.dim && a.italic === b.italic && a.underline === b.underline;

/** Text with ANSI codes -> segments of plain text with a style each. */
export function parseAnsi(input: string): AnsiSegment[] {
  const text = applyCarriageReturns(input);
  const segments: AnsiSegment[] = [];
  let style: AnsiStyle = {};
  let last = 0;
  const push = (raw: string) => {
    const clean = raw.replace(CONTROL, "");
    if (!clean) return;
    const prev = segments[segments.length - 1];
    if (prev && sameStyle(prev.style, style)) prev.text += clean;
    else segments.push({ text: clean, style });
  };
  for (const match of text.matchAll(ESCAPE)) {
    push(text.slice(last, match.index));
    last = match.index + match[0].length;
    if (match[3] === "m" && match[2] === "") style = applySgr(style, match[1] ?? "");
  }
  push(text.slice(last));
  return segments;
}

/** Text without any escape codes or control characters (for alt text, titles and plain copies). */
export function stripAnsi(input: string): string {
  return parseAnsi(input)
    .map((s) => s.text)
    .join("");
}

/** Splits segments after the `lines`-th newline: [first `lines` lines, the rest]. */
export function splitSegmentsAtLine(segments: AnsiSegment[], lines: number): [AnsiSegment[], AnsiSegment[]] {
  let seen = 0;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    let from = 0;
    for (;;) {
      const nl = seg.text.indexOf("\n", from);
      if (nl < 0) break;
      seen++;
      if (seen === lines) {
        const head = seg.text.slice(0, nl + 1);
        const tail = seg.text.slice(nl + 1);
        const before = [...segments.slice(0, i), { text: head, style: seg.style }];
        const after = [...(tail ? [{ text: tail, style: seg.style }] : []), ...segments.slice(i + 1)];
        return [before, after];
      }
      from = nl + 1;
    }
  }
  return [segments, []];
}

/** Number of lines the text shows (a final newline does not start another line). */
export function countLines(text: string): number {
  if (!text) return 0;
  let n = 1;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) n++;
  return text.endsWith("\n") ? n - 1 : n;
}
