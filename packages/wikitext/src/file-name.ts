// File names for page titles in an exported folder: safe on Linux, macOS and Windows, reversible, unicode kept.
// Spaces become `_`; `%` and what a file system or shell would take badly become %XX (UTF-8), `_` itself too.
// Titles that differ only in case (or unicode normalization) would share a file on macOS and Windows: names for a
// whole set of titles come from fileNamesForTitles, which adds `~2`, `~3`... (`~` in a title is always encoded).
// The title in each file's front matter stays the authority; titleForFileName is for tools and tests.
import { createHash } from "node:crypto";

const EXTENSION = ".md";
const MAX_BYTES = 200;
const RESERVED = /^(?:con|prn|aux|nul|com\d|lpt\d)(?:\.|$)/i;

function encodeChar(c: string): string {
  return Array.from(new TextEncoder().encode(c), (b) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`).join("");
}

/** The file name (with `.md`) for one title, before case collisions are considered. */
export function fileNameForTitle(title: string): string {
  if (title.trim() === "") throw new Error("a page title must not be empty");
  let name = "";
  for (const c of title) {
    if (c === " ") name += "_";
    else if (/[\p{L}\p{N}\p{M}\-().,'!@$&+=;[\]{}^`]/u.test(c)) name += c;
    else name += encodeChar(c);
  }
  // A leading dot would hide the file; a trailing dot or space is dropped by Windows; reserved device names too.
  if (name.startsWith(".")) name = `%2E${name.slice(1)}`;
  if (name.endsWith(".")) name = `${name.slice(0, -1)}%2E`;
  if (RESERVED.test(name)) name = encodeChar(name[0]!) + name.slice(1);
  if (new TextEncoder().encode(name).length > MAX_BYTES) {
    // Too long for a file system: cut (never inside a %XX) and add a hash of the full title. Not reversible;
    // the front matter has the title.
    let cut = "";
    for (const c of name) {
      if (new TextEncoder().encode(cut + c).length > MAX_BYTES - 20) break;
      cut += c;
    }
    cut = cut.replace(/%[0-9A-F]?$/, "");
    name = `${cut}~h${createHash("sha256").update(title).digest("hex").slice(0, 12)}`;
  }
  return name + EXTENSION;
}

/** File names for a set of titles, none of them equal to another ignoring case and unicode normalization. */
export function fileNamesForTitles(titles: Iterable<string>): Map<string, string> {
  const sorted = [...new Set(titles)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const used = new Map<string, number>();
  const names = new Map<string, string>();
  for (const title of sorted) {
    const base = fileNameForTitle(title).slice(0, -EXTENSION.length);
    const key = base.normalize("NFC").toLowerCase();
    const seen = used.get(key) ?? 0;
    used.set(key, seen + 1);
    names.set(title, `${seen === 0 ? base : `${base}~${seen + 1}`}${EXTENSION}`);
  }
  return names;
}

/** The title a file name stands for, or undefined when the name was not made by fileNameForTitle (or was cut). */
export function titleForFileName(fileName: string): string | undefined {
  if (!fileName.endsWith(EXTENSION)) return undefined;
  let name = fileName.slice(0, -EXTENSION.length);
  if (/~h[0-9a-f]{12}$/.test(name)) return undefined;
  name = name.replace(/~\d+$/, "");
  if (name.includes("~") || name.includes("/") || name.includes("\\")) return undefined;
  try {
    return decodeURIComponent(name.replace(/_/g, " ").replace(/%(?![0-9A-F]{2})/g, "%25"));
  } catch {
    return undefined;
  }
}
