// One wiki page as a markdown file with YAML front matter: the export format of the wiki and a way back in.
// A file holds the page's current text and the metadata needed to re-import it as it was (title, redirect,
// categories, protection, the current revision's author, time and summary, and how many revisions it has); the
// history itself is not exported: a folder of files is for reading, diffing and editing, and the database backup
// is the place for history.
import { stringify, parse as parseYaml, YAMLParseError } from "yaml";
import { z } from "zod";

export interface PageMeta {
  /** Category names without the `Category:` prefix. */
  categories?: string[];
  /** Target title when the page is a redirect. */
  redirect?: string;
  /** Who may edit or move the page (role names, e.g. "admin"; absent means anyone who may edit the wiki), and why. */
  protection?: { edit?: string; move?: string; reason?: string };
  /** The current revision: its number in the page's history, author, time and summary. */
  revision?: { number?: number; author?: string; timestamp?: Date; summary?: string; minor?: boolean };
  /** How many revisions the page has in the wiki (not in the file). */
  revisions?: number;
}

export interface PageFile {
  title: string;
  /** The page's markdown, exactly as stored. */
  body: string;
  meta: PageMeta;
}

export class PageFileError extends Error {
  constructor(
    readonly file: string,
    readonly field: string | undefined,
    detail: string,
  ) {
    super(field ? `${file}: front matter field "${field}": ${detail}` : `${file}: ${detail}`);
    this.name = "PageFileError";
  }
}

const nonEmpty = z.string().min(1, { error: "must not be empty" });
const isoDate = z.iso.datetime({ offset: true, error: "expected an ISO 8601 date and time, e.g. 2024-05-01T12:00:00Z" });

const frontMatterSchema = z.strictObject({
  title: nonEmpty,
  redirect: nonEmpty.optional(),
  categories: z.array(nonEmpty).optional(),
  protection: z.strictObject({ edit: nonEmpty.optional(), move: nonEmpty.optional(), reason: z.string().optional() }).optional(),
  revision: z
    .strictObject({
      number: z.int().positive().optional(),
      author: nonEmpty.optional(),
      timestamp: isoDate.optional(),
      summary: z.string().optional(),
      minor: z.boolean().optional(),
    })
    .optional(),
  revisions: z.int().nonnegative().optional(),
});

type FrontMatter = z.infer<typeof frontMatterSchema>;

/** The file's text: front matter (fields in a fixed order, absent ones left out), then the body verbatim. */
export function serializePage(page: PageFile): string {
  const { meta } = page;
  const front: FrontMatter = { title: page.title };
  if (meta.redirect !== undefined) front.redirect = meta.redirect;
  if (meta.categories !== undefined) front.categories = [...meta.categories];
  if (meta.protection !== undefined) front.protection = { ...meta.protection };
  if (meta.revision !== undefined) {
    const { number, author, timestamp, summary, minor } = meta.revision;
    // Fixed key order, absent keys left out, so that files diff well.
    front.revision = Object.fromEntries(
      Object.entries({ number, author, timestamp: timestamp?.toISOString(), summary, minor }).filter(([, v]) => v !== undefined),
    );
  }
  if (meta.revisions !== undefined) front.revisions = meta.revisions;
  const checked = frontMatterSchema.safeParse(front);
  if (!checked.success) throw issueError(`page "${page.title}"`, checked.error);
  const yaml = stringify(front, { lineWidth: 0, defaultStringType: "PLAIN", defaultKeyType: "PLAIN" });
  return `---\n${yaml}---\n${page.body}`;
}

const OPENING = /^\uFEFF?---[ \t]*\r?\n/;
const CLOSING = /^---[ \t]*(?:\r?\n|$)/m;

/** Reads a page file; `file` names it in errors. Throws PageFileError naming the file and the field. */
export function parsePageFile(text: string, file = "page file"): PageFile {
  const opening = OPENING.exec(text);
  if (!opening) throw new PageFileError(file, undefined, "does not start with front matter (a line `---`)");
  const rest = text.slice(opening[0].length);
  const closing = CLOSING.exec(rest);
  if (!closing) throw new PageFileError(file, undefined, "front matter is not closed (no line `---` after it)");
  const yamlText = rest.slice(0, closing.index);
  const body = rest.slice(closing.index + closing[0].length);
  let data: unknown;
  try {
    data = parseYaml(yamlText, { prettyErrors: true });
  } catch (error) {
    const detail = error instanceof YAMLParseError ? error.message.split("\n")[0]! : String(error);
    throw new PageFileError(file, undefined, `front matter is not valid YAML: ${detail}`);
  }
  const parsed = frontMatterSchema.safeParse(data ?? {});
  if (!parsed.success) throw issueError(file, parsed.error);
  const front = parsed.data;
  const meta: PageMeta = {};
  if (front.redirect !== undefined) meta.redirect = front.redirect;
  if (front.categories !== undefined) meta.categories = front.categories;
  if (front.protection !== undefined) meta.protection = front.protection;
  if (front.revision !== undefined) {
    const { timestamp, ...rest } = front.revision;
    meta.revision = { ...rest, ...(timestamp === undefined ? {} : { timestamp: new Date(timestamp) }) };
  }
  if (front.revisions !== undefined) meta.revisions = front.revisions;
  return { title: front.title, body, meta };
}

function issueError(file: string, error: z.ZodError): PageFileError {
  const issue = error.issues[0]!;
  if (issue.code === "unrecognized_keys") {
    const prefix = issue.path.length > 0 ? `${issue.path.join(".")}.` : "";
    return new PageFileError(file, `${prefix}${issue.keys[0]}`, "is not a known field");
  }
  const field = issue.path.length > 0 ? issue.path.join(".") : "(front matter)";
  const missing = issue.code === "invalid_type" && /received undefined$/.test(issue.message);
  return new PageFileError(file, field, missing ? "is required" : issue.message);
}
