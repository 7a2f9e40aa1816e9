/** Text helpers of the wiki editor (no React, so tests read them directly). */

/** The unclosed `[[` before the caret: where its title starts and what has been typed of it, or null. */
export function openLinkAt(text: string, caret: number): { start: number; prefix: string } | null {
  const open = text.lastIndexOf("[[", caret - 2);
  if (open < 0) return null;
  const start = open + 2;
  const typed = text.slice(start, caret);
  // A closed link, a piped label, another bracket, an anchor or a line break all end the title being typed.
  if (/[[\]|\n#{}<>]/.test(typed) || !typed.trim() || typed.length > 100) return null;
  return { start, prefix: typed };
}

/** An uploaded image's alt text: its name without the extension, markdown's brackets escaped. */
export const altText = (name: string) => name.replace(/\.[^.]+$/, "").replace(/[\\[\]]/g, "\\$&");
