import { z } from "zod";
import { DomainError } from "../errors";
import { type Db, MARK_END, MARK_START, SEARCH_KINDS, type SearchKind } from "./documents";
import { highlightedToHtml, literalSnippet } from "./snippets";

/** A calendar day, `YYYY-MM-DD`, that exists (no 2026-02-30). Days are UTC, as stored. */
const day = (which: string) =>
  z
    .string()
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, `The ${which} date is written YYYY-MM-DD, e.g. 2026-03-01.`)
    .refine((d) => {
      const parsed = new Date(`${d}T00:00:00Z`);
      return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === d;
    }, `The ${which} date is not a real day.`);

export const SOLVED_FILTERS = ["solved", "unsolved"] as const;
export type SolvedFilter = (typeof SOLVED_FILTERS)[number];

export const searchInput = z
  .object({
    q: z.string().trim().min(1, "Type something to search for.").max(200, "A search is at most 200 characters."),
    kinds: z.array(z.enum(SEARCH_KINDS)).max(SEARCH_KINDS.length).optional(),
    // Filters on the documents' facets; a document without the facet (a lesson has no author) does not match one.
    /** A category's slug (forum categories today). */
    category: z.string().trim().max(100, "No such category.").regex(/^[a-z0-9][a-z0-9-]*$/, "No such category.").optional(),
    /** An author's username, with or without the `@`. */
    author: z
      .string()
      .trim()
      .transform((name) => name.replace(/^@/, ""))
      .pipe(z.string().max(40, "No such author.").regex(/^[A-Za-z0-9_.-]+$/, "No such author: an author is named by their @username."))
      .optional(),
    /** "solved": only posts of topics with an accepted answer; "unsolved": only open questions (solvable categories). */
    solved: z.enum(SOLVED_FILTERS, { error: "Solved is either “solved” or “unsolved”." }).optional(),
    /** Written on or after this day. */
    after: day("from").optional(),
    /** Written on or before this day. */
    before: day("to").optional(),
    limit: z.number().int().min(1).max(50).default(20),
    offset: z.number().int().min(0).max(10_000).default(0),
  })
  .refine((i) => !i.after || !i.before || i.after <= i.before, { message: "The from date is after the to date.", path: ["before"] });
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
  category: string | null;
  authorId: string | null;
  solved: boolean | null;
  writtenAt: Date | null;
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
  category: string | null;
  authorId: string | null;
  solved: boolean | null;
  writtenAt: Date | string | null;
  score: number;
  total: bigint | number;
  fts: number;
  titleHl: string;
  bodyHl: string;
  body: string | null;
}

// Quotes and -exclusions ask for exact full-text semantics; similarity matching would bring back what they exclude.
const usesOperators = (q: string) => /["]|(^|\s)-\S/.test(q);

/** The query's one word, when similarity matching applies: a single word of 3 to 40 letters, digits or `_`. */
function similarityWord(q: string): string | null {
  if (usesOperators(q)) return null;
  const words = q.match(/[A-Za-z0-9_]+/g) ?? [];
  const word = words.length === 1 ? words[0] : null;
  return word && word.length >= 3 && word.length <= 40 ? word.toLowerCase() : null;
}

const likePattern = (term: string) => `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * The indexed words that `word` stands for, by trigram similarity, when stemming cannot find them: names with `_`
 * or digits (`lr_find`, `resnet34`), and words the index does not have as such (typos: `resnt`). A plain word the
 * index has is left to full-text search.
 */
async function similarTerms(db: Db, word: string): Promise<{ term: string; sim: number }[]> {
  const terms = await db.$queryRawUnsafe<{ term: string; sim: number }[]>(
    `SELECT "term", similarity("term", $1)::float8 AS sim FROM "SearchTerm" WHERE "term" % $1 ORDER BY sim DESC, "term" LIMIT 5`,
    word,
  );
  const isName = /[_0-9]/.test(word);
  if (!isName && terms.some((t) => t.term === word)) return [];
  return terms.map((t) => ({ term: t.term, sim: Number(t.sim) }));
}

const headline = (maxWords: number, fragments: number) =>
  `StartSel=${MARK_START}, StopSel=${MARK_END}, MaxWords=${maxWords}, MinWords=${Math.min(12, maxWords - 1)}, ShortWord=2, MaxFragments=${fragments}, FragmentDelimiter=" … "`;

/**
 * A filter naming a category or author that does not exist is refused with a message (a typo should not look like
 * "nothing found"). Returns the author's user id, which the documents store.
 */
async function knownFacets(db: Db, facets: { category?: string; author?: string }): Promise<string | null> {
  if (facets.category !== undefined) {
    const found = await db.forumCategory.findUnique({ where: { slug: facets.category }, select: { id: true } });
    if (!found) throw new DomainError("BAD_REQUEST", `No such category: “${facets.category}”.`);
  }
  if (facets.author === undefined) return null;
  const user = await db.user.findFirst({ where: { username: { equals: facets.author, mode: "insensitive" } }, select: { id: true } });
  if (!user) throw new DomainError("BAD_REQUEST", `No such author: @${facets.author}.`);
  return user.id;
}

/** A `timestamp` column (UTC, no zone) as a Date: drivers give a Date or its text. */
const utcDate = (value: Date | string) => (value instanceof Date ? value : new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value.replace(" ", "T")}Z`));

/**
 * Ranked search over every document (or `kinds`, and the facet filters: category, author, solved, written between
 * two days): PostgreSQL full-text search (`websearch_to_tsquery`, English
 * stemming; the title weighs A, the body B), plus, for a one-word query, the indexed words that resemble it
 * (pg_trgm) found with a trigram-indexed ILIKE: names that stemming breaks (`lr_find`, `resnet34`) and typos
 * (`resnt`). The score adds the full-text rank to the similarity of the word matched in the title (more) or body.
 */
export async function search(db: Db, input: SearchInput): Promise<SearchResult> {
  const { q, kinds, limit, offset, category, author, solved, after, before } = searchInput.parse(input);
  const authorId = await knownFacets(db, { category, author });
  const word = similarityWord(q);
  const terms = word ? await similarTerms(db, word) : [];
  // $6..$10: the facet filters, each a parameter (null: no filter); the days are compared as UTC dates.
  const params: unknown[] = [
    q,
    kinds ? JSON.stringify(kinds) : null,
    limit,
    offset,
    headline(30, 2),
    category ?? null,
    authorId,
    solved === undefined ? null : solved === "solved",
    after ?? null,
    before ?? null,
  ];
  const titleScore: string[] = [];
  const bodyScore: string[] = [];
  const likeWhere: string[] = [];
  for (const { term, sim } of terms) {
    params.push(likePattern(term));
    const p = `$${params.length}`;
    const weight = Math.max(0, Math.min(1, sim)).toFixed(4);
    likeWhere.push(`d."title" ILIKE ${p}`, `d."body" ILIKE ${p}`);
    titleScore.push(`CASE WHEN d."title" ILIKE ${p} THEN 0.6 * ${weight} ELSE 0 END`);
    bodyScore.push(`CASE WHEN d."body" ILIKE ${p} THEN 0.3 * ${weight} ELSE 0 END`);
  }
  const similarity = terms.length ? `GREATEST(${titleScore.join(", ")}) + GREATEST(${bodyScore.join(", ")})` : "0";
  const rows = await db.$queryRawUnsafe<Row[]>(
    `WITH q AS (SELECT websearch_to_tsquery('english', $1) AS tsq),
     ranked AS (
       SELECT d."kind", d."key", d."url", d."title", d."body", d."lessonSlug", d."seconds",
              d."category", d."authorId", d."solved", d."writtenAt",
              ts_rank(d."searchVector", q.tsq) AS fts,
              ts_rank(d."searchVector", q.tsq) + ${similarity} AS score,
              count(*) OVER () AS total
       FROM "SearchDocument" d, q
       WHERE ($2::jsonb IS NULL OR d."kind" IN (SELECT jsonb_array_elements_text($2::jsonb)))
         AND ($6::text IS NULL OR d."category" = $6::text)
         AND ($7::text IS NULL OR d."authorId" = $7::text)
         AND ($8::boolean IS NULL OR d."solved" = $8::boolean)
         AND ($9::date IS NULL OR d."writtenAt" >= $9::date)
         AND ($10::date IS NULL OR d."writtenAt" < $10::date + 1)
         AND (d."searchVector" @@ q.tsq${likeWhere.map((w) => ` OR ${w}`).join("")})
       ORDER BY score DESC, d."kind", d."key"
       LIMIT $3 OFFSET $4
     )
     SELECT r."kind", r."key", r."url", r."title", r."lessonSlug", r."seconds",
            r."category", r."authorId", r."solved", r."writtenAt", r.score::float8 AS score,
            r.total, r.fts::float8 AS fts,
            ts_headline('english', translate(r."title", '<>', chr(3) || chr(4)), q.tsq, 'HighlightAll=true, StartSel=${MARK_START}, StopSel=${MARK_END}') AS "titleHl",
            ts_headline('english', translate(r."body", '<>', chr(3) || chr(4)), q.tsq, $5) AS "bodyHl",
            CASE WHEN r.fts = 0 THEN r."body" END AS "body"
     FROM ranked r, q
     ORDER BY r.score DESC, r."kind", r."key"`,
    ...params,
  );
  const literals = terms.map((t) => t.term);
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
      snippetHtml: (r.body !== null ? literalSnippet(r.body, literals) : null) ?? highlightedToHtml(r.bodyHl),
      lessonSlug: r.lessonSlug,
      seconds: r.seconds,
      category: r.category,
      authorId: r.authorId,
      solved: r.solved,
      writtenAt: r.writtenAt === null ? null : utcDate(r.writtenAt),
      score: Number(r.score),
    })),
  };
}
