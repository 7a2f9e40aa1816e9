// What an import did, counted as it goes, and a plain-text table of it for the CLI.
import type { DumpPage } from "./dump";
import type { Unconverted } from "./convert/inline";

export interface ImportReport {
  pages: number;
  redirects: number;
  revisions: number;
  /** Distinct authors: user names, and IP addresses for anonymous edits. */
  authors: number;
  /** Pages per namespace number. */
  namespaces: Record<number, number>;
  /** Constructs kept verbatim, by kind ("template", "table", "<ref>"...), over the pages' current text. */
  unconverted: Record<string, number>;
  /** Pages whose current text has at least one construct kept verbatim, by title (the first 50). */
  pagesWithUnconverted: string[];
  pagesWithUnconvertedCount: number;
}

const LISTED_PAGES = 50;

/** Collects an ImportReport: call addPage for each page read (with its conversion's unconverted list). */
export class ImportReportBuilder {
  private readonly report: ImportReport = {
    pages: 0,
    redirects: 0,
    revisions: 0,
    authors: 0,
    namespaces: {},
    unconverted: {},
    pagesWithUnconverted: [],
    pagesWithUnconvertedCount: 0,
  };
  private readonly authors = new Set<string>();

  addPage(page: DumpPage, unconverted: readonly Unconverted[] = []): void {
    const r = this.report;
    r.pages++;
    if (page.redirect !== undefined) r.redirects++;
    r.revisions += page.revisions.length;
    r.namespaces[page.namespace] = (r.namespaces[page.namespace] ?? 0) + 1;
    for (const revision of page.revisions) {
      const a = revision.author;
      if ("name" in a) this.authors.add(`user:${a.name}`);
      else if ("ip" in a) this.authors.add(`ip:${a.ip}`);
    }
    r.authors = this.authors.size;
    for (const u of unconverted) r.unconverted[u.construct] = (r.unconverted[u.construct] ?? 0) + 1;
    if (unconverted.length > 0) {
      r.pagesWithUnconvertedCount++;
      if (r.pagesWithUnconverted.length < LISTED_PAGES) r.pagesWithUnconverted.push(page.title);
    }
  }

  build(): ImportReport {
    return structuredClone(this.report);
  }
}

/** The report as aligned plain-text tables, for a terminal. */
export function formatImportReport(report: ImportReport, namespaceNames: ReadonlyMap<number, string> = new Map()): string {
  const sections: string[] = [];
  sections.push(
    table(
      ["", "count"],
      [
        ["pages", report.pages],
        ["  of which redirects", report.redirects],
        ["revisions", report.revisions],
        ["authors", report.authors],
      ],
    ),
  );
  const namespaces = Object.entries(report.namespaces)
    .map(([ns, n]) => [Number(ns), n] as const)
    .sort((a, b) => a[0] - b[0]);
  if (namespaces.length > 0) {
    sections.push(table(["namespace", "pages"], namespaces.map(([ns, n]) => [`${ns} ${namespaceNames.get(ns) || (ns === 0 ? "(main)" : "")}`.trim(), n])));
  }
  const kinds = Object.entries(report.unconverted).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  if (kinds.length > 0) {
    sections.push(table(["kept verbatim", "count"], kinds));
    const more = report.pagesWithUnconvertedCount - report.pagesWithUnconverted.length;
    sections.push(
      `Pages with text kept verbatim (${report.pagesWithUnconvertedCount}):\n` +
        report.pagesWithUnconverted.map((t) => `  ${t}`).join("\n") +
        (more > 0 ? `\n  ... and ${more} more` : ""),
    );
  } else sections.push("Everything converted; nothing kept verbatim.");
  return sections.join("\n\n") + "\n";
}

function table(header: [string, string], rows: Array<readonly [string, number]>): string {
  const cells = [header, ...rows.map(([k, v]) => [k, v.toLocaleString("en-US")] as const)];
  const w0 = Math.max(...cells.map((c) => c[0].length));
  const w1 = Math.max(...cells.map((c) => c[1].length));
  const line = (c: readonly [string, string]) => `${c[0].padEnd(w0)}  ${c[1].padStart(w1)}`;
  return [line(cells[0]!), `${"-".repeat(w0)}  ${"-".repeat(w1)}`, ...cells.slice(1).map(line)].join("\n");
}
