import { GT, LT, MARK_END, MARK_START } from "./documents";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

// eslint-disable-next-line no-control-regex -- the highlighter's sentinels are control characters on purpose
const SENTINELS = /([\u0001\u0002])/;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/**
 * Turns text highlighted by `ts_headline` (which does not escape HTML) into safe HTML: the whole text is escaped
 * first, then only our sentinel characters (never stored in documents) become <mark> and </mark>. An unbalanced
 * sentinel (a cut fragment) is closed so the markup stays well formed. `<` and `>` reach ts_headline as
 * stand-ins (it drops what looks like a tag) and are restored before escaping.
 */
export function highlightedToHtml(text: string): string {
  let open = false;
  let html = "";
  const restored = text.replaceAll(LT, "<").replaceAll(GT, ">");
  for (const part of escapeHtml(restored).split(SENTINELS)) {
    if (part === MARK_START) {
      if (!open) html += "<mark>";
      open = true;
    } else if (part === MARK_END) {
      if (open) html += "</mark>";
      open = false;
    } else {
      html += part;
    }
  }
  if (open) html += "</mark>";
  // The parser splits `conv_pw_13` into three words; show one mark over the name.
  return html.replace(/<\/mark>([_.])<mark>/g, "$1");
}

/**
 * For hits found by similarity only (no full-text match, so ts_headline marked nothing): a window of the text
 * around the first literal occurrence of one of `terms`, marked; else `null`.
 */
export function literalSnippet(text: string, terms: readonly string[], radius = 120): string | null {
  const lower = text.toLowerCase();
  for (const term of terms) {
    const needle = term.toLowerCase();
    const at = needle.length >= 2 ? lower.indexOf(needle) : -1;
    if (at < 0) continue;
    const start = Math.max(0, at - radius);
    const end = Math.min(text.length, at + needle.length + radius);
    return (
      (start > 0 ? "… " : "") +
      escapeHtml(text.slice(start, at)) +
      "<mark>" +
      escapeHtml(text.slice(at, at + needle.length)) +
      "</mark>" +
      escapeHtml(text.slice(at + needle.length, end)) +
      (end < text.length ? " …" : "")
    );
  }
  return null;
}
