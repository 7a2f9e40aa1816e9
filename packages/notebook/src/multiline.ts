import type { MultilineString } from "./schema";

/** The text of a `source`/`text` field, whichever form (string or list of lines) it has. */
export function joinMultiline(value: MultilineString): string {
  return typeof value === "string" ? value : value.join("");
}

/** Splits text into lines that keep their "\n", as nbformat writes multiline strings. */
export function splitLines(text: string): string[] {
  const lines = text.match(/[^\n]*\n|[^\n]+$/g);
  return lines ?? [];
}
