// npm run wiki:import -- <dump.xml | folder>   |   npm run wiki:export -- <folder> [--force]
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { Transform } from "node:stream";
import { DataDirLockedError, openDatabase } from "@course/db";
import { PageFileError } from "@course/wikitext";
import { ExportFolderError, exportWiki } from "../src/server/wiki/export";
import { importMediaWikiDump, importPageFiles, readPageFolder, type PageProgress, type WikiImportResult } from "../src/server/wiki/import";
import { formatWikiImportResult } from "../src/server/wiki/import-report";

const usage = `Usage:
  npm run wiki:import -- <dump.xml>          a MediaWiki XML export (Special:Export, with full history)
  npm run wiki:import -- <folder>            a folder written by wiki:export
  npm run wiki:export -- <folder> [--force]  every page as a markdown file with front matter
                                             (--force replaces the .md files of a folder that has some)
Relative paths are resolved from where npm was started. The database is the site's (DATABASE_URL, else the
embedded one in the data folder, which only one process may open: stop the site first).`;

class UsageError extends Error {}

/** npm runs workspace scripts inside the package; resolve user paths against where npm was invoked. */
const fromBase = (p: string) => path.resolve(process.env.INIT_CWD ?? process.cwd(), p);

/** Progress on stderr: one redrawn line on a terminal, a line per page otherwise (logs, CI). */
class Progress {
  private pages = 0;
  private last = "";
  private readonly tty = Boolean(process.stderr.isTTY);

  constructor(private readonly fraction: () => number | undefined) {}

  page(p: PageProgress): void {
    this.pages++;
    const what = `${p.outcome.padEnd(9)} ${p.title}${p.revisions > 0 ? ` (${p.revisions} revision${p.revisions === 1 ? "" : "s"})` : ""}`;
    if (!this.tty) {
      process.stderr.write(`${what}${p.detail ? `: ${p.detail}` : ""}\n`);
      return;
    }
    const f = this.fraction();
    const bar = f === undefined ? "" : `[${"#".repeat(Math.round(f * 24)).padEnd(24, "-")}] ${String(Math.round(f * 100)).padStart(3)}%  `;
    const line = `${bar}${this.pages} pages  ${what}`.slice(0, (process.stderr.columns || 100) - 1);
    process.stderr.write(`\r${line}${" ".repeat(Math.max(0, this.last.length - line.length))}`);
    this.last = line;
  }

  done(): void {
    if (this.tty && this.last) process.stderr.write("\n");
  }
}

async function runImport(source: string): Promise<number> {
  const info = await stat(source).catch(() => null);
  if (!info) throw new UsageError(`${source} does not exist.`);
  // Read (and check) a folder's files before opening the database: a bad file stops the import before it starts.
  const files = info.isDirectory() ? await readPageFolder(source) : undefined;
  if (files && files.length === 0) throw new UsageError(`${source} holds no .md page files.`);
  const db = await openDatabase(undefined, { migrate: true });
  let result: WikiImportResult;
  try {
    if (files) {
      let n = 0;
      const progress = new Progress(() => n / files.length);
      result = await importPageFiles(db.prisma, files, { onPage: (p) => (n++, progress.page(p)) });
      progress.done();
    } else {
      let read = 0;
      const progress = new Progress(() => Math.min(1, read / Math.max(1, info.size)));
      const counted = createReadStream(source).pipe(
        new Transform({
          transform(chunk: Buffer, _encoding, callback) {
            read += chunk.length;
            callback(null, chunk);
          },
        }),
      );
      result = await importMediaWikiDump(db.prisma, counted, { onPage: (p) => progress.page(p) });
      progress.done();
    }
  } finally {
    await db.close();
  }
  process.stdout.write(formatWikiImportResult(result));
  return result.fatal || result.failed.length > 0 ? 1 : 0;
}

async function runExport(folder: string, force: boolean): Promise<number> {
  const db = await openDatabase(undefined, { migrate: true });
  try {
    const result = await exportWiki(db.prisma, folder, { force });
    console.log(`Exported ${result.pages} page(s) to ${folder}.`);
    return 0;
  } finally {
    await db.close();
  }
}

async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  const force = rest.includes("--force");
  const positional = rest.filter((a) => a !== "--force");
  const unknown = positional.find((a) => a.startsWith("--"));
  if ((command !== "import" && command !== "export") || positional.length !== 1 || unknown || (force && command === "import")) {
    console.error(unknown ? `Unknown option ${unknown}.\n${usage}` : usage);
    return 2;
  }
  const target = fromBase(positional[0]!);
  return command === "import" ? runImport(target) : runExport(target, force);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof DataDirLockedError) {
      console.error(`${error.message}\nThe import and export open the database themselves: stop the site first, or use PostgreSQL.`);
    } else if (error instanceof UsageError || error instanceof PageFileError || error instanceof ExportFolderError) {
      console.error(error.message);
    } else {
      console.error((error as Error).message);
    }
    process.exit(1);
  },
);
