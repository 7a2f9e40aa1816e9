/**
 * Browsers submit textareas with CRLF line ends; stored texts use LF so that a diff or a merge never sees a change
 * that is only a line ending.
 */
export function normalizeText(text: string): string {
  return text.replace(/\r\n?/g, "\n");
}

/**
 * Lines that join back to exactly the text: "a\nb\n" is ["a", "b", ""], "" is [""]. Keeping the empty last line
 * makes a missing final newline an ordinary line change, and a merge never adds or drops one.
 */
export function splitLines(text: string): string[] {
  return normalizeText(text).split("\n");
}

export function joinLines(lines: readonly string[]): string {
  return lines.join("\n");
}
