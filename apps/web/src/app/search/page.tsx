import type { Metadata, Route } from "next";
import Link from "next/link";
import { SearchBox } from "~/components/search/search-box";
import { SearchResults } from "~/components/search/search-results";
import styles from "~/components/search/search.module.css";
import { searchInput } from "~/server/search";
import { redirect } from "next/navigation";
import { exactTitleMatch } from "~/server/wiki/read";
import { getDb } from "~/server/db";
import { api } from "~/trpc/server";

export const metadata: Metadata = { title: "Search" };

const PER_PAGE = 20;

type Params = Promise<Record<string, string | string[] | undefined>>;

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) ?? "";

export default async function SearchPage({ searchParams }: { searchParams: Params }) {
  const params = await searchParams;
  const q = first(params.q).trim();
  const page = Math.min(500, Math.max(1, Number.parseInt(first(params.page), 10) || 1));
  const input = { q, limit: PER_PAGE, offset: (page - 1) * PER_PAGE };
  const checked = q ? searchInput.safeParse(input) : null;
  // Typing a wiki page's exact title opens the page (MediaWiki's "Go"); `fulltext=1` searches instead.
  if (checked?.success && page === 1 && !first(params.fulltext)) {
    const target = await exactTitleMatch((await getDb()).prisma, q);
    if (target) redirect(target as Route);
  }
  const result = checked?.success ? await (await api()).search.query(input) : null;
  const pageHref = (n: number) => `/search?${new URLSearchParams({ q, page: String(n) })}` as Route;
  const pages = result ? Math.ceil(result.total / PER_PAGE) : 0;
  return (
    <div className="stack" style={{ maxWidth: 820 }}>
      <h1>Search</h1>
      <SearchBox defaultValue={q} autoFocus={!q} />
      <p className="lesson-meta">
        Words are matched in any form (<code>train</code> finds <code>training</code>); <code>&quot;a phrase&quot;</code> in
        quotes, <code>or</code> between alternatives, <code>-word</code> to exclude. Names such as <code>lr_find</code> and
        small typos are found too.
      </p>
      {checked && !checked.success ? <p role="alert">{checked.error.issues[0]?.message}</p> : null}
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
