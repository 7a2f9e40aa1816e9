import { z } from "zod";
import { type Db, MARK_END, MARK_START, SEARCH_KINDS, type SearchKind } from "./documents";
import { highlightedToHtml, literalSnippet } from "./snippets";

export const searchInput = z.object({
  q: z.string().trim().min(1, "Type something to search for.").max(200, "A search is at most 200 characters."),
  kinds: z.array(z.enum(SEARCH_KINDS)).max(SEARCH_KINDS.length).optional(),
  limit: z.number().int().min(1).max(50).default(20),
  offset: z.number().int().min(0).max(10_000).default(0),
});
export type SearchInput = z.input<typeof searchInput>;

export interface SearchHit {
  kind: SearchKind;
  key: string;
  url: string;
  title: string;
  /** Safe HTML: the title escaped, matches in <mark>. */
  titleHtml: string;
  /** Safe HTML: an escaped excerpt of the body, matches in <mark>. */
  snippetHtml: string;
  lessonSlug: string | null;
  seconds: number | null;
  score: number;
}

export interface SearchResult {
  query: string;
  total: number;
  offset: number;
  limit: number;
  hits: SearchHit[];
}

interface Row {
  kind: SearchKind;
  key: string;
  url: string;
  title: string;
  lessonSlug: string | null;
  seconds: number | null;
  score: number;
  total: bigint | number;
  fts: number;
  titleHl: string;
  bodyHl: string;
  body: string | null;
}

// Quotes and -exclusions ask for exact full-text semantics; similarity matching would bring back what they exclude.
const usesOperators = (q: string) => /["]|(^|\s)-\S/.test(q);

const headline = (maxWords: number, fragments: number) =>
  `StartSel=${MARK_START}, StopSel=${MARK_END}, MaxWords=${maxWords}, MinWords=${Math.min(12, maxWords - 1)}, ShortWord=2, MaxFragments=${fragments}, FragmentDelimiter=" … "`;

/**
 * Ranked search over every document (or `kinds`): PostgreSQL full-text search (`websearch_to_tsquery`, English
 * stemming; the title weighs A, the body B) or pg_trgm word similarity (names that stemming breaks: `lr_find`,
 * `resnet34`, typos like `resnt`). The score adds the full-text rank to the similarity of title (more) and body.
 */
export async function search(db: Db, input: SearchInput): Promise<SearchResult> {
  const { q, kinds, limit, offset } = searchInput.parse(input);
  const trigram = !usesOperators(q) && q.length >= 3;
  const rows = await db.$queryRawUnsafe<Row[]>(
    `WITH q AS (SELECT websearch_to_tsquery('english', $1) AS tsq, lower($1) AS raw),
     ranked AS (
       SELECT d."kind", d."key", d."url", d."title", d."body", d."lessonSlug", d."seconds",
              ts_rank(d."searchVector", q.tsq) AS fts,
              ts_rank(d."searchVector", q.tsq)
                + CASE WHEN $2 THEN 0.6 * word_similarity(q.raw, d."title") + 0.3 * word_similarity(q.raw, d."body") ELSE 0 END
                AS score,
              count(*) OVER () AS total
       FROM "SearchDocument" d, q
       WHERE ($3::jsonb IS NULL OR d."kind" IN (SELECT jsonb_array_elements_text($3::jsonb)))
         AND (d."searchVector" @@ q.tsq OR ($2 AND (q.raw <% d."title" OR q.raw <% d."body")))
       ORDER BY score DESC, d."kind", d."key"
       LIMIT $4 OFFSET $5
     )
     SELECT r."kind", r."key", r."url", r."title", r."lessonSlug", r."seconds", r.score::float8 AS score,
            r.total, r.fts::float8 AS fts,
            ts_headline('english', translate(r."title", '<>', chr(3) || chr(4)), q.tsq, 'HighlightAll=true, StartSel=${MARK_START}, StopSel=${MARK_END}') AS "titleHl",
            ts_headline('english', translate(r."body", '<>', chr(3) || chr(4)), q.tsq, $6) AS "bodyHl",
            CASE WHEN r.fts = 0 THEN r."body" END AS "body"
     FROM ranked r, q
     ORDER BY r.score DESC, r."kind", r."key"`,
    q,
    trigram,
    kinds ? JSON.stringify(kinds) : null,
    limit,
    offset,
    headline(30, 2),
  );
  return {
    query: q,
    total: Number(rows[0]?.total ?? 0),
    offset,
    limit,
    hits: rows.map((r) => ({
      kind: r.kind,
      key: r.key,
      url: r.url,
      title: r.title,
      titleHtml: highlightedToHtml(r.titleHl),
      snippetHtml: (r.body !== null ? literalSnippet(r.body, q) : null) ?? highlightedToHtml(r.bodyHl),
      lessonSlug: r.lessonSlug,
      seconds: r.seconds,
      score: Number(r.score),
    })),
  };
}
