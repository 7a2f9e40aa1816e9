import type { CSSProperties, ReactNode } from "react";
import { countLines, parseAnsi, splitSegmentsAtLine, type AnsiSegment } from "./ansi";
import { formatCount } from "~/lib/format";

/** Text longer than this is cut (with a note) even inside "show all": a page must stay usable. */
export const MAX_TEXT_CHARS = 200_000;

const isRgb = (c: string | undefined): c is string => !!c && c.startsWith("rgb(");

function Segments({ segments }: { segments: AnsiSegment[] }): ReactNode {
  return segments.map((seg, i) => {
    const { fg, bg, bold, dim, italic, underline } = seg.style;
    if (!fg && !bg && !bold && !dim && !italic && !underline) return seg.text;
    const style: CSSProperties = {};
    if (isRgb(fg)) style.color = fg;
    if (isRgb(bg)) style.backgroundColor = bg;
    return (
      <span
        key={i}
        data-fg={fg && !isRgb(fg) ? fg : undefined}
        data-bg={bg && !isRgb(bg) ? bg : undefined}
        data-bold={bold ? "" : undefined}
        data-dim={dim ? "" : undefined}
        data-italic={italic ? "" : undefined}
        data-underline={underline ? "" : undefined}
        style={Object.keys(style).length ? style : undefined}
      >
        {seg.text}
      </span>
    );
  });
}

/**
 * Preformatted text with ANSI colours turned into styled spans (every other escape dropped). Past `collapseAfter`
 * lines, the first lines show and the rest sits in a <details> "Show all N lines", so no text is lost.
 */
export function AnsiText({ text, collapseAfter, className }: { text: string; collapseAfter: number; className?: string }) {
  const cut = text.length > MAX_TEXT_CHARS ? text.length - MAX_TEXT_CHARS : 0;
  const shown = cut ? text.slice(0, MAX_TEXT_CHARS) : text;
  const segments = parseAnsi(shown);
  const plain = segments.map((s) => s.text).join("");
  const lines = countLines(plain);
  const note = cut ? <span data-truncated="">{`\n[${formatCount(cut)} more characters not shown]`}</span> : null;
  if (lines <= collapseAfter) {
    return (
      <pre className={className}>
        <Segments segments={segments} />
        {note}
      </pre>
    );
  }
  const [head, tail] = splitSegmentsAtLine(segments, collapseAfter);
  return (
    <div data-collapsed-output="">
      <pre className={className}>
        <Segments segments={head} />
      </pre>
      <details>
        <summary>{`Show all ${formatCount(lines)} lines (${formatCount(lines - collapseAfter)} more)`}</summary>
        <pre className={className}>
          <Segments segments={tail} />
          {note}
        </pre>
      </details>
    </div>
  );
}
