import type { Prisma, PrismaClient } from "@course/db";
import { z } from "zod";

/**
 * The search index's one write path. Every feature that wants its text found (the course, wiki pages,
 * forum posts) hands its documents here under its own `kind`; `key` identifies a document within its kind.
 * PostgreSQL keeps the weighted `searchVector` itself (a generated column), so writers only store text.
 */
export type Db = PrismaClient | Prisma.TransactionClient;

export const SEARCH_KINDS = ["lesson", "transcript", "wiki", "post"] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

export const searchDocumentInput = z.object({
  key: z.string().min(1, "A search document needs a key.").max(300),
  /** Where a hit links: a site path such as `/lessons/lesson-1?t=83`. */
  url: z.string().startsWith("/", "A search document's url must be a site path starting with /."),
  /** Weighs more than the body when ranking. May be empty (a transcript line has no title of its own). */
  title: z.string().max(1_000),
  body: z.string().max(1_000_000),
  lessonSlug: z.string().nullish(),
  seconds: z.number().int().min(0).nullish(),
  // Facets the search filters on (see SearchDocument in prisma/schema/search.prisma); leave out what a kind lacks.
  /** A category's slug, e.g. a forum post's category. */
  category: z.string().min(1).max(200).nullish(),
  /** The User id of who wrote it. */
  authorId: z.string().min(1).max(200).nullish(),
  /** Whether the question it belongs to has an accepted answer; null where answers do not apply. */
  solved: z.boolean().nullish(),
  /** When the text was written. */
  writtenAt: z.date().nullish(),
});
export type SearchDocumentInput = z.input<typeof searchDocumentInput>;

// Snippets are highlighted with the first two of these characters, and `<` `>` stand in as the other two while
// ts_headline runs (its parser would drop what looks like an HTML tag); see snippets.ts. They are removed from
// every stored text so that only the highlighter's own can turn into <mark>.
export const MARK_START = "\u0001";
export const MARK_END = "\u0002";
export const LT = "\u0003";
export const GT = "\u0004";
// eslint-disable-next-line no-control-regex -- these control characters are exactly what must go
const withoutSentinels = (text: string) => text.replace(/[\u0001-\u0004]/g, "");

const BATCH = 500;

/** Adds or replaces documents of one kind (matched by key). */
export async function indexDocuments(db: Db, kind: SearchKind, docs: readonly SearchDocumentInput[]): Promise<number> {
  const rows = docs.map((doc) => {
    const d = searchDocumentInput.parse(doc);
    return {
      kind,
      key: d.key,
      url: d.url,
      title: withoutSentinels(d.title),
      body: withoutSentinels(d.body),
      lessonSlug: d.lessonSlug ?? null,
      seconds: d.seconds ?? null,
      category: d.category ?? null,
      authorId: d.authorId ?? null,
      solved: d.solved ?? null,
      writtenAt: d.writtenAt?.toISOString() ?? null,
    };
  });
  // One statement per batch, the rows passed as one JSON parameter: the same SQL on PGlite and PostgreSQL.
  for (let i = 0; i < rows.length; i += BATCH) {
    await db.$executeRawUnsafe(
      `INSERT INTO "SearchDocument" ("id", "kind", "key", "url", "title", "body", "lessonSlug", "seconds",
                                     "category", "authorId", "solved", "writtenAt", "updatedAt")
       SELECT md5(r.kind || ':' || r.key), r.kind, r.key, r.url, r.title, r.body, r."lessonSlug", r.seconds,
              r.category, r."authorId", r.solved, (r."writtenAt" AT TIME ZONE 'UTC'), now()
       FROM jsonb_to_recordset($1::jsonb) AS r(kind text, key text, url text, title text, body text, "lessonSlug" text, seconds int,
                                               category text, "authorId" text, solved boolean, "writtenAt" timestamptz)
       ON CONFLICT ("kind", "key") DO UPDATE SET
         "url" = EXCLUDED."url", "title" = EXCLUDED."title", "body" = EXCLUDED."body",
         "lessonSlug" = EXCLUDED."lessonSlug", "seconds" = EXCLUDED."seconds",
         "category" = EXCLUDED."category", "authorId" = EXCLUDED."authorId", "solved" = EXCLUDED."solved",
         "writtenAt" = EXCLUDED."writtenAt", "updatedAt" = now()`,
      JSON.stringify(rows.slice(i, i + BATCH)),
    );
    // The words the similarity search matches against (see SearchTerm in prisma/schema/search.prisma).
    await db.$executeRawUnsafe(
      `INSERT INTO "SearchTerm" ("term")
       SELECT DISTINCT lower(m[1]) FROM jsonb_to_recordset($1::jsonb) AS r(title text, body text),
         regexp_matches(r.title || ' ' || r.body, '([A-Za-z0-9_]{3,40})', 'g') AS m
       ON CONFLICT DO NOTHING`,
      JSON.stringify(rows.slice(i, i + BATCH).map((r) => ({ title: r.title, body: r.body }))),
    );
  }
  return rows.length;
}

/** Removes documents of one kind by key; without keys, every document of that kind. */
export async function removeDocuments(db: Db, kind: SearchKind, keys?: readonly string[]): Promise<number> {
  if (keys === undefined) return db.$executeRawUnsafe(`DELETE FROM "SearchDocument" WHERE "kind" = $1`, kind);
  if (keys.length === 0) return 0;
  return db.$executeRawUnsafe(
    `DELETE FROM "SearchDocument" WHERE "kind" = $1 AND "key" IN (SELECT jsonb_array_elements_text($2::jsonb))`,
    kind,
    JSON.stringify(keys),
  );
}

/** Makes the documents of one kind exactly `docs`: upserts them and removes the others. */
export async function replaceDocuments(db: Db, kind: SearchKind, docs: readonly SearchDocumentInput[]): Promise<void> {
  await db.$executeRawUnsafe(
    `DELETE FROM "SearchDocument" WHERE "kind" = $1 AND NOT ("key" IN (SELECT jsonb_array_elements_text($2::jsonb)))`,
    kind,
    JSON.stringify(docs.map((d) => d.key)),
  );
  await indexDocuments(db, kind, docs);
}
