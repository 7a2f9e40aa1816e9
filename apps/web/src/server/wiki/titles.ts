/**
 * Wiki page titles, MediaWiki's rules: `Training tips`, `training_tips` and ` Training   tips ` are one page.
 * Spaces and underscores are the same, runs of them collapse, the ends are trimmed, and the first letter is
 * case-insensitive (stored upper case). The key (`Training_tips`) is what the database and URLs use; the title
 * (`Training tips`) is what pages show.
 */

export const MAX_TITLE_LENGTH = 255;

/** Namespaces that change what a title means: Category pages list their members; Special pages are generated. */
export const CATEGORY_PREFIX = "Category:";
export const SPECIAL_PREFIX = "Special:";

export class TitleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TitleError";
  }
}

export interface WikiTitle {
  /** "Training tips" */
  title: string;
  /** "Training_tips": unique per page, used in URLs */
  key: string;
}

// MediaWiki's $wgLegalTitleChars forbids these: link syntax ([ ] { } |), the anchor (#), HTML (< >), and controls.
// eslint-disable-next-line no-control-regex -- control characters are exactly what must be refused
const INVALID = /[#<>[\]{}|\u0000-\u001f\u007f\ufffd]/;

/** The title and key of `raw`, or a TitleError saying what is wrong with it. */
export function parseTitle(raw: string): WikiTitle {
  const collapsed = raw.normalize("NFC").replace(/[\s_]+/g, " ").trim();
  if (!collapsed) throw new TitleError("A page title cannot be empty.");
  const bad = INVALID.exec(collapsed);
  if (bad) throw new TitleError(`A page title cannot contain ${JSON.stringify(bad[0])}.`);
  if (/%[0-9A-Fa-f]{2}/.test(collapsed)) throw new TitleError("A page title cannot contain URL escapes such as %20.");
  if (collapsed === "." || collapsed === ".." || /^\.\.?\//.test(collapsed) || /\/\.\.?(\/|$)/.test(collapsed)) {
    throw new TitleError('A page title cannot be "." or "..", or contain "./" or "../" parts.');
  }
  if (collapsed.startsWith("/") || collapsed.endsWith("/") || collapsed.includes("//")) {
    throw new TitleError("A page title cannot start or end with /, or contain //.");
  }
  if (collapsed.startsWith(":")) throw new TitleError("A page title cannot start with a colon.");
  const ns = /^(category|special)\s*:\s*(.*)$/i.exec(collapsed);
  let title = upperFirst(collapsed);
  if (ns) {
    const local = ns[2] ?? "";
    if (!local) throw new TitleError(`"${collapsed}" needs a name after the colon.`);
    title = `${upperFirst(ns[1]!.toLowerCase())}:${upperFirst(local)}`;
  }
  if ([...title].length > MAX_TITLE_LENGTH) throw new TitleError(`A page title may have at most ${MAX_TITLE_LENGTH} characters.`);
  return { title, key: titleToKey(title) };
}

/** The key of a title, or null when the title is invalid (for links found in text, which may be anything). */
export function keyOrNull(raw: string): string | null {
  try {
    return parseTitle(raw).key;
  } catch (error) {
    if (error instanceof TitleError) return null;
    throw error;
  }
}

export const titleToKey = (title: string): string => title.replace(/ /g, "_");
export const keyToTitle = (key: string): string => key.replace(/_/g, " ");

/** The page's address: `/wiki/Training_tips`, `/wiki/Category:Tips`, `/wiki/Lesson_1/Notes` (slashes kept). */
/** A wiki address: Next's typed routes check links to it through the `/wiki/[...title]` page. */
export type WikiPath = `/wiki/${string}`;

export function wikiPath(keyOrTitle: string): WikiPath {
  const key = titleToKey(keyOrTitle);
  return `/wiki/${key.split("/").map((part) => encodeURIComponent(part).replace(/%3A/gi, ":")).join("/")}`;
}

/** The title from a URL's path segments (`/wiki/[...title]`), decoded. */
export function titleFromSegments(segments: readonly string[]): string {
  return segments.map((s) => safeDecode(s)).join("/");
}

export function isCategoryKey(key: string): boolean {
  return key.startsWith(CATEGORY_PREFIX);
}
export function isSpecialKey(key: string): boolean {
  return key.startsWith(SPECIAL_PREFIX);
}

/** "Category:Training_tips" -> "Training_tips" (the key stored in WikiCategory). */
export function categoryName(key: string): string {
  return key.slice(CATEGORY_PREFIX.length);
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function upperFirst(text: string): string {
  const first = text.codePointAt(0);
  if (first === undefined) return text;
  const ch = String.fromCodePoint(first);
  return ch.toUpperCase() + text.slice(ch.length);
}
