import type { Metadata } from "next";
import Link from "next/link";
import { SearchBox } from "~/components/search/search-box";
import { SearchResults } from "~/components/search/search-results";
import styles from "~/components/search/search.module.css";
import { SEARCH_KINDS, searchInput, type SearchKind } from "~/server/search";
import { redirect } from "next/navigation";
import { exactTitleMatch } from "~/server/wiki/read";
import { getDb } from "~/server/db";
import { searchCourse } from "~/server/search/course-search";
import { withQuery } from "~/lib/routes";
import { DomainError } from "~/server/errors";

export const metadata: Metadata = { title: "Search" };

const PER_PAGE = 20;

type Params = Promise<Record<string, string | string[] | undefined>>;

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) ?? "";

const KIND_CHOICES: { value: SearchKind; label: string }[] = [
  { value: "lesson", label: "Lessons" },
  { value: "transcript", label: "Videos" },
  { value: "wiki", label: "Wiki" },
  { value: "post", label: "Forum posts" },
];

/** `kinds` as a form sends it (one select) or a link does (repeated, or comma-separated); unknown names are dropped. */
function kindsParam(value: string | string[] | undefined): SearchKind[] | undefined {
  const names = (Array.isArray(value) ? value : [value ?? ""]).flatMap((v) => v.split(","));
  const kinds = SEARCH_KINDS.filter((k) => names.includes(k));
  return kinds.length ? kinds : undefined;
}

/**
 * Site search: words, plus filters (what kind, and for forum posts category, author, solved, days written) that are
 * plain GET fields of the same form, so the page works without JavaScript and every result page has its own address.
 */
export default async function SearchPage({ searchParams }: { searchParams: Params }) {
  const params = await searchParams;
  const q = first(params.q).trim();
  const page = Math.min(500, Math.max(1, Number.parseInt(first(params.page), 10) || 1));
  const kinds = kindsParam(params.kinds);
  // Empty form fields mean "any"; the rest are checked by searchInput like the API's.
  const filters = {
    category: first(params.category).trim(),
    author: first(params.author).trim(),
    solved: first(params.solved).trim(),
    after: first(params.after).trim(),
    before: first(params.before).trim(),
  };
  const given = Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== ""));
  const input = { q, ...(kinds ? { kinds } : {}), ...given, limit: PER_PAGE, offset: (page - 1) * PER_PAGE };
  const checked = q ? searchInput.safeParse(input) : null;
  const prisma = (await getDb()).prisma;
  // Typing a wiki page's exact title opens the page (MediaWiki's "Go"); `fulltext=1` searches instead. Not when the
  // search is narrowed: filters ask for a list.
  const narrowed = Object.keys(given).length > 0 || (kinds !== undefined && !kinds.includes("wiki"));
  if (checked?.success && page === 1 && !first(params.fulltext) && !narrowed) {
    const target = await exactTitleMatch(prisma, q);
    if (target) redirect(target);
  }
  let error = checked && !checked.success ? checked.error.issues[0]?.message : undefined;
  let result: Awaited<ReturnType<typeof searchCourse>> | null = null;
  if (checked?.success) {
    try {
      result = await searchCourse(prisma, checked.data);
    } catch (e) {
      // An unknown category or author: said as the API says it.
      if (!(e instanceof DomainError)) throw e;
      error = e.message;
    }
  }
  const categories = await prisma.forumCategory.findMany({ where: { removedAt: null }, orderBy: [{ position: "asc" }, { name: "asc" }], select: { slug: true, name: true } });
  const kindValue = kinds?.length === 1 ? kinds[0]! : "";
  const pageHref = (n: number) => withQuery("/search", { q, kinds: kinds?.join(","), ...given, page: n });
  const pages = result ? Math.ceil(result.total / PER_PAGE) : 0;
  return (
    <div className="stack" style={{ maxWidth: 820 }}>
      <h1>Search</h1>
      <SearchBox defaultValue={q} autoFocus={!q}>
        <fieldset className={styles.filters}>
          <legend className="lesson-meta">Filters (category, author, solved and dates apply to forum posts)</legend>
          <label className={styles.filterField}>
            Show
            <select name="kinds" defaultValue={kindValue}>
              <option value="">Everything</option>
              {KIND_CHOICES.map((k) => (
                <option key={k.value} value={k.value}>
                  {k.label}
                </option>
              ))}
            </select>
          </label>
          <label className={styles.filterField}>
            Category
            <select name="category" defaultValue={filters.category}>
              <option value="">Any category</option>
              {categories.map((c) => (
                <option key={c.slug} value={c.slug}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
          <label className={styles.filterField}>
            Author
            <input type="text" name="author" defaultValue={filters.author} placeholder="@username" maxLength={41} autoComplete="off" spellCheck={false} />
          </label>
          <label className={styles.filterField}>
            Solved
            <select name="solved" defaultValue={filters.solved}>
              <option value="">Any</option>
              <option value="solved">Solved topics</option>
              <option value="unsolved">Unsolved questions</option>
            </select>
          </label>
          <label className={styles.filterField}>
            Written from
            <input type="date" name="after" defaultValue={filters.after} />
          </label>
          <label className={styles.filterField}>
            Written until
            <input type="date" name="before" defaultValue={filters.before} />
          </label>
        </fieldset>
      </SearchBox>
      <p className="lesson-meta">
        Words are matched in any form (<code>train</code> finds <code>training</code>); <code>&quot;a phrase&quot;</code> in
        quotes, <code>or</code> between alternatives, <code>-word</code> to exclude. Names such as <code>lr_find</code> and
        small typos are found too.
      </p>
      {error ? <p role="alert">{error}</p> : null}
      {result ? (
        <>
          <p data-testid="search-summary">
            {result.total === 0
              ? `Nothing found for “${q}”.`
              : `${result.total} ${result.total === 1 ? "result" : "results"} for “${q}”${pages > 1 ? `, page ${page} of ${pages}` : ""}.`}
          </p>
          <SearchResults hits={result.hits} />
          {pages > 1 ? (
            <nav className={styles.pager} aria-label="Result pages">
              {page > 1 ? <Link href={pageHref(page - 1)}>← Previous</Link> : null}
              {page < pages ? <Link href={pageHref(page + 1)}>Next →</Link> : null}
            </nav>
          ) : null}
        </>
      ) : null}
    </div>
  );
}
