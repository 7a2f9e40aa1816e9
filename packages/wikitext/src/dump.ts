// Streaming reader of a MediaWiki XML export (Special:Export, schema 0.10/0.11, with or without full history).
// saxes parses the bytes as they arrive; one page at a time is held in memory, so a dump of any size can be read.
import type { Readable } from "node:stream";
import { SaxesParser, type SaxesTagPlain } from "saxes";

export type DumpAuthor = { name: string; id?: number } | { ip: string } | { hidden: true };

export interface DumpRevision {
  id: number;
  parentId?: number;
  timestamp: Date;
  author: DumpAuthor;
  comment: string;
  minor: boolean;
  /** The wikitext; "" when the dump hides it (`<text deleted="deleted"/>`) or is a stub dump without text. */
  text: string;
  model?: string;
  format?: string;
  sha1?: string;
}

export interface DumpPage {
  title: string;
  /** MediaWiki's namespace number: 0 articles, 1 Talk, 2 User, 6 File, 10 Template, 14 Category... kept as given. */
  namespace: number;
  id?: number;
  /** The target title when the page is a redirect (`<redirect title="..."/>`). */
  redirect?: string;
  /** Oldest first (by timestamp, then revision id). */
  revisions: DumpRevision[];
}

export interface DumpSiteInfo {
  siteName?: string;
  base?: string;
  /** Namespace number to its prefix ("" for the main namespace). */
  namespaces: Map<number, string>;
}

export interface ReadDumpOptions {
  /** Called once with `<siteinfo>` when the dump has it, before the first page is yielded. */
  onSiteInfo?: (info: DumpSiteInfo) => void;
}

export class MediaWikiDumpError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`MediaWiki dump, line ${line}, column ${column}: ${message}`);
    this.name = "MediaWikiDumpError";
  }
}

interface PartialRevision {
  id?: number;
  parentId?: number;
  timestamp?: Date;
  author?: DumpAuthor;
  contributorName?: string;
  contributorId?: number;
  contributorIp?: string;
  comment: string;
  minor: boolean;
  text: string;
  model?: string;
  format?: string;
  sha1?: string;
  line: number;
}

interface PartialPage {
  title?: string;
  namespace?: number;
  id?: number;
  redirect?: string;
  revisions: DumpRevision[];
  line: number;
}

const CHUNK = 64 * 1024;

/**
 * Reads a MediaWiki XML export page by page. `input` is a stream of the file (`fs.createReadStream(path)`) or the XML
 * text itself. Malformed XML, or XML that is not a MediaWiki export, throws a MediaWikiDumpError with the line and
 * column.
 */
export async function* readMediaWikiDump(input: Readable | string, options: ReadDumpOptions = {}): AsyncGenerator<DumpPage> {
  const reader = new DumpReader(options);
  if (typeof input === "string" && !input.includes("<") && input.trim() !== "" && input.length < 4096) {
    throw new TypeError(`readMediaWikiDump takes the XML text or a stream, not a path: pass fs.createReadStream(${JSON.stringify(input)})`);
  }
  if (typeof input === "string") {
    for (let i = 0; i < input.length; i += CHUNK) {
      reader.write(input.slice(i, i + CHUNK));
      yield* reader.drain();
    }
  } else {
    const decoder = new TextDecoder("utf-8", { fatal: false });
    for await (const chunk of input as AsyncIterable<string | Uint8Array>) {
      reader.write(typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true }));
      yield* reader.drain();
    }
    reader.write(decoder.decode());
  }
  reader.close();
  yield* reader.drain();
}

class DumpReader {
  private readonly parser = new SaxesParser<{ position: true; xmlns: false }>({ position: true, xmlns: false });
  private readonly stack: string[] = [];
  private readonly ready: DumpPage[] = [];
  private text: string[] = [];
  private page: PartialPage | undefined;
  private revision: PartialRevision | undefined;
  private siteInfo: DumpSiteInfo | undefined;
  private namespaceKey: number | undefined;
  private sawRoot = false;

  constructor(private readonly options: ReadDumpOptions) {
    this.parser.on("opentag", (tag) => this.open(tag));
    this.parser.on("closetag", (tag) => this.close_(tag.name));
    this.parser.on("text", (t) => this.text.push(t));
    this.parser.on("cdata", (t) => this.text.push(t));
  }

  write(chunk: string): void {
    this.guard(() => this.parser.write(chunk));
  }

  close(): void {
    this.guard(() => this.parser.close());
    if (!this.sawRoot) this.fail("the file is empty or has no <mediawiki> element");
  }

  *drain(): Generator<DumpPage> {
    while (this.ready.length > 0) yield this.ready.shift()!;
  }

  private guard(run: () => void): void {
    try {
      run();
    } catch (error) {
      if (error instanceof MediaWikiDumpError) throw error;
      // saxes prefixes its messages with "line:column: "; ours carries them as fields.
      const message = error instanceof Error ? error.message.replace(/^(?:[^:]*:)?\d+:\d+:\s*/, "") : String(error);
      throw new MediaWikiDumpError(`malformed XML: ${message}`, this.parser.line, this.parser.column + 1);
    }
  }

  private fail(message: string): never {
    throw new MediaWikiDumpError(message, this.parser.line, this.parser.column + 1);
  }

  private get parent(): string | undefined {
    return this.stack[this.stack.length - 1];
  }

  private open(tag: SaxesTagPlain): void {
    const name = tag.name;
    if (this.stack.length === 0) {
      if (name !== "mediawiki") this.fail(`not a MediaWiki export: the root element is <${name}>, expected <mediawiki>`);
      this.sawRoot = true;
    }
    const parent = this.parent;
    this.stack.push(name);
    this.text = [];
    if (parent === "mediawiki" && name === "siteinfo") this.siteInfo = { namespaces: new Map() };
    else if (parent === "namespaces" && name === "namespace") this.namespaceKey = Number(tag.attributes.key);
    else if (parent === "mediawiki" && name === "page") this.page = { revisions: [], line: this.parser.line };
    else if (parent === "page" && name === "redirect" && this.page) this.page.redirect = String(tag.attributes.title ?? "");
    else if (parent === "page" && name === "revision") this.revision = { comment: "", minor: false, text: "", line: this.parser.line };
    else if (parent === "revision" && name === "minor" && this.revision) this.revision.minor = true;
    else if (parent === "revision" && name === "contributor" && this.revision && tag.attributes.deleted !== undefined) {
      this.revision.author = { hidden: true };
    }
  }

  private close_(name: string): void {
    this.stack.pop();
    const parent = this.parent;
    const value = this.text.join("");
    this.text = [];
    if (parent === "siteinfo" && this.siteInfo) {
      if (name === "sitename") this.siteInfo.siteName = value;
      else if (name === "base") this.siteInfo.base = value;
    } else if (name === "namespace" && parent === "namespaces" && this.siteInfo && this.namespaceKey !== undefined) {
      if (Number.isInteger(this.namespaceKey)) this.siteInfo.namespaces.set(this.namespaceKey, value);
      this.namespaceKey = undefined;
    } else if (name === "siteinfo" && parent === "mediawiki" && this.siteInfo) {
      this.options.onSiteInfo?.(this.siteInfo);
    } else if (parent === "page" && this.page) {
      if (name === "title") this.page.title = value;
      else if (name === "ns") this.page.namespace = this.integer(value, "<ns>");
      else if (name === "id") this.page.id = this.integer(value, "page <id>");
      else if (name === "revision") this.finishRevision();
    } else if (name === "page" && parent === "mediawiki" && this.page) {
      this.finishPage();
    } else if (parent === "revision" && this.revision) {
      const r = this.revision;
      if (name === "id") r.id = this.integer(value, "revision <id>");
      else if (name === "parentid") r.parentId = this.integer(value, "<parentid>");
      else if (name === "timestamp") r.timestamp = this.date(value);
      else if (name === "comment") r.comment = value;
      else if (name === "text") r.text = value;
      else if (name === "model") r.model = value;
      else if (name === "format") r.format = value;
      else if (name === "sha1") r.sha1 = value;
    } else if (parent === "contributor" && this.revision) {
      if (name === "username") this.revision.contributorName = value;
      else if (name === "id") this.revision.contributorId = this.integer(value, "contributor <id>");
      else if (name === "ip") this.revision.contributorIp = value;
    }
  }

  private integer(value: string, what: string): number {
    const n = Number(value.trim());
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) this.fail(`${what} is not a number: "${value.slice(0, 40)}"`);
    return n;
  }

  private date(value: string): Date {
    const d = new Date(value.trim());
    if (Number.isNaN(d.getTime())) this.fail(`<timestamp> is not a date: "${value.slice(0, 40)}"`);
    return d;
  }

  private finishRevision(): void {
    const r = this.revision!;
    this.revision = undefined;
    const at = `revision starting at line ${r.line}`;
    if (r.id === undefined) this.fail(`${at} has no <id>`);
    if (r.timestamp === undefined) this.fail(`${at} has no <timestamp>`);
    let author: DumpAuthor;
    if (r.author) author = r.author;
    else if (r.contributorName !== undefined) {
      author = r.contributorId === undefined ? { name: r.contributorName } : { name: r.contributorName, id: r.contributorId };
    } else if (r.contributorIp !== undefined) author = { ip: r.contributorIp };
    else author = { hidden: true };
    const revision: DumpRevision = { id: r.id, timestamp: r.timestamp, author, comment: r.comment, minor: r.minor, text: r.text };
    if (r.parentId !== undefined) revision.parentId = r.parentId;
    if (r.model !== undefined) revision.model = r.model;
    if (r.format !== undefined) revision.format = r.format;
    if (r.sha1 !== undefined) revision.sha1 = r.sha1;
    this.page!.revisions.push(revision);
  }

  private finishPage(): void {
    const p = this.page!;
    this.page = undefined;
    const at = `page starting at line ${p.line}`;
    if (p.title === undefined || p.title === "") this.fail(`${at} has no <title>`);
    if (p.namespace === undefined) this.fail(`${at} ("${p.title}") has no <ns>`);
    const revisions = p.revisions.sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime() || a.id - b.id);
    const page: DumpPage = { title: p.title, namespace: p.namespace, revisions };
    if (p.id !== undefined) page.id = p.id;
    if (p.redirect !== undefined) page.redirect = p.redirect;
    this.ready.push(page);
  }
}
