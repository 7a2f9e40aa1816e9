/**
 * Text the conversation features write into the composer, as pure functions (unit-tested): the quote of a
 * selection, in packages/markdown's quote syntax, and the `@` being typed at the caret.
 */

export interface QuoteSource {
  /** the author's forum username (an `@mention` in the attribution), when they have one */
  username: string | null;
  /** shown when there is no username (e.g. the course platform's own posts) */
  name: string;
  /** the post's address, `/forum/t/<id>/<slug>?post=<n>#p<n>` */
  url: string;
}

/**
 * The quote of `text` from a post: `> [!quote @name](url)` and the text as quoted lines, then a blank line, so the
 * reply goes on below it. Blank runs inside the selection stay one quoted blank line.
 */
export function quoteMarkdown(text: string, source: QuoteSource): string {
  const lines = text
    .replace(/\r\n?/g, "\n")
    .replace(/\u00a0/g, " ")
    .split("\n")
    .map((l) => l.trimEnd());
  while (lines.length && lines[0] === "") lines.shift();
  while (lines.length && lines[lines.length - 1] === "") lines.pop();
  const body = lines.filter((l, i) => l !== "" || lines[i - 1] !== "");
  // `]` or a newline in a name would end the header early; a username never has them.
  const who = source.username ? `@${source.username}` : source.name.replace(/[\]\n]/g, " ").trim();
  const header = `> [!quote${who ? ` ${who}` : ""}](${source.url})`;
  return `${[header, ...body.map((l) => (l ? `> ${l}` : ">"))].join("\n")}\n\n`;
}

/**
 * Inserts `block` into `text` at the caret, on lines of its own (a blank line before it when the caret is after
 * other text). Returns the new text and the caret after the block.
 */
export function insertBlock(text: string, caret: number, block: string): { text: string; caret: number } {
  const at = Math.max(0, Math.min(caret, text.length));
  const before = text.slice(0, at);
  const after = text.slice(at);
  const gap = before === "" || before.endsWith("\n\n") ? "" : before.endsWith("\n") ? "\n" : "\n\n";
  const inserted = `${gap}${block}`;
  return { text: before + inserted + after, caret: at + inserted.length };
}

/** The `@name` being typed just before the caret: where its `@` is and what follows it so far; null when none. */
export function mentionAt(text: string, caret: number): { start: number; prefix: string } | null {
  const head = text.slice(0, caret);
  // As packages/markdown's MENTION: an `@` glued to a word, address or path does not start a mention.
  const m = /(?:^|[^\w@./+-])@([A-Za-z0-9_.-]{0,40})$/.exec(head);
  if (!m) return null;
  return { start: head.length - m[1]!.length - 1, prefix: m[1]! };
}

/** The text with the mention at `start` completed to `@username ` and the caret after it. */
export function completeMention(text: string, caret: number, start: number, username: string): { text: string; caret: number } {
  // The rest of a name typed past the caret is replaced; a space follows only at the end of the text.
  const after = text.slice(caret).replace(/^[A-Za-z0-9_.-]*/, "");
  const inserted = `@${username}${after === "" ? " " : ""}`;
  return { text: text.slice(0, start) + inserted + after, caret: start + inserted.length };
}
