import type { Notebook } from "./schema";

export type NotebookLanguage = "typescript" | "javascript";

const ALIASES: Record<string, NotebookLanguage> = {
  typescript: "typescript",
  ts: "typescript",
  tslab: "typescript",
  deno: "typescript",
  javascript: "javascript",
  js: "javascript",
  node: "javascript",
  nodejs: "javascript",
  jslab: "javascript",
  ijavascript: "javascript",
};

/**
 * The code language of a notebook from metadata.kernelspec (language, then name) and
 * metadata.language_info.name; TypeScript when none is given. Throws for other languages.
 */
export function notebookLanguage(nb: Notebook): NotebookLanguage {
  const { kernelspec, language_info } = nb.metadata;
  const candidates = [kernelspec?.["language"], language_info?.name, kernelspec?.name].filter((v): v is string => typeof v === "string" && v !== "");
  for (const candidate of candidates) {
    const found = ALIASES[candidate.toLowerCase()];
    if (found) return found;
  }
  if (candidates.length === 0) return "typescript";
  throw new Error(`unsupported notebook language ${JSON.stringify(candidates[0])}: this executor runs TypeScript or JavaScript notebooks (kernel "typescript")`);
}
