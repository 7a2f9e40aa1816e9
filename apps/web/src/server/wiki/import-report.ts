import { formatImportReport } from "@course/wikitext";
import type { WikiImportResult } from "./import";

const SOURCE_CHARS = 70;

const oneLine = (text: string) => {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > SOURCE_CHARS ? `${flat.slice(0, SOURCE_CHARS - 1)}…` : flat;
};

/**
 * The import's report for a terminal: what the source held (the wikitext package's tables), then what was
 * written here, the authors, every construct kept verbatim with its page and line, files to upload, and each page
 * that was skipped or failed with why.
 */
export function formatWikiImportResult(result: WikiImportResult): string {
  const out: string[] = [formatImportReport(result.source, result.namespaceNames).trimEnd()];
  out.push(
    [
      "Written here:",
      `  ${result.created} page(s) created, ${result.updated} updated, ${result.unchanged} already up to date`,
      `  ${result.revisionsWritten} revision(s) written`,
      `  ${result.skipped.length} page(s) skipped, ${result.failed.length} failed`,
    ].join("\n"),
  );
  const skippedNs = Object.entries(result.skippedNamespaces);
  if (skippedNs.length > 0) {
    out.push(`Not imported (only articles, File and Category pages are):\n${skippedNs.map(([ns, n]) => `  ${ns}: ${n} page(s)`).join("\n")}`);
  }
  if (result.authorsMapped.size > 0) {
    const rows = [...result.authorsMapped].sort((a, b) => a[0].localeCompare(b[0])).map(([name, email]) => `  ${name} → ${email}`);
    out.push(`Authors mapped to accounts here (${result.authorsMapped.size}):\n${rows.join("\n")}`);
  }
  if (result.authorsKept.size > 0) {
    const names = [...result.authorsKept].sort((a, b) => a.localeCompare(b));
    out.push(`Authors kept as names, no account here (${names.length}):\n  ${names.join(", ")}`);
  }
  if (result.unconverted.length > 0) {
    const byKind = new Map<string, typeof result.unconverted>();
    for (const u of result.unconverted) byKind.set(u.construct, [...(byKind.get(u.construct) ?? []), u]);
    const kinds = [...byKind].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]));
    out.push(
      "Kept verbatim (in a ```wikitext block or inline code), by kind, with page and line of the wikitext:\n" +
        kinds.map(([kind, list]) => `  ${kind} (${list.length}):\n${list.map((u) => `    ${u.title}, line ${u.line}: ${oneLine(u.source)}`).join("\n")}`).join("\n"),
    );
  }
  if (result.missingFiles.length > 0) {
    out.push(`Files the pages use; the XML does not hold them, upload them separately (${result.missingFiles.length}):\n${result.missingFiles.map((f) => `  File:${f}`).join("\n")}`);
  }
  if (result.skipped.length > 0) out.push(`Skipped:\n${result.skipped.map((s) => `  ${s.title}: ${s.reason}`).join("\n")}`);
  if (result.failed.length > 0) out.push(`Failed (nothing written for these):\n${result.failed.map((f) => `  ${f.title}: ${f.error}`).join("\n")}`);
  if (result.fatal) out.push(`Stopped: ${result.fatal}\nThe pages before this point are imported; fix the file and run the import again to bring in the rest.`);
  return `${out.join("\n\n")}\n`;
}
