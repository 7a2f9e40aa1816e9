import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import styles from "~/components/wiki/wiki.module.css";
import { ChangeList } from "~/components/wiki/wiki-views";
import { parseTitle, TitleError, wikiPath } from "~/server/wiki/titles";
import { getCurrentUser } from "~/server/auth/session";
import { getDb } from "~/server/db";
import { allPages, changes } from "~/server/wiki/read";

export const metadata: Metadata = { title: "Wiki" };
export const dynamic = "force-dynamic";

type Search = Promise<Record<string, string | string[] | undefined>>;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? "";

/** The wiki's main page: every page and category, recent changes, and a box to open or create a page by title. */
export default async function WikiIndex({ searchParams }: { searchParams: Search }) {
  const go = first((await searchParams).go).trim();
  let error: string | null = null;
  if (go) {
    try {
      redirect(wikiPath(parseTitle(go).key));
    } catch (e) {
      if (!(e instanceof TitleError)) throw e;
      error = e.message;
    }
  }
  const prisma = (await getDb()).prisma;
  const user = await getCurrentUser();
  const [all, recent] = await Promise.all([allPages(prisma), changes(prisma, { id: user?.id ?? null, role: user?.role ?? null }, { limit: 15 })]);
  const pages = all.pages.filter((p) => !p.redirectKey);
  return (
    <div className={styles.layout}>
      <h1>Wiki</h1>
      <p>
        The course wiki: notes, tips and explanations anyone signed in can write and improve. Every edit is kept in the page&apos;s
        history.
      </p>
      <form method="get" action="/wiki" className={styles.actions} role="search" aria-label="Open a page">
        <label>
          Page title <input name="go" maxLength={255} required defaultValue={go} />
        </label>
        <button type="submit">Open or create</button>
        {error ? <span role="alert">{error}</span> : null}
      </form>
      <nav className={styles.actions} aria-label="Special pages">
        <Link href={"/wiki/Special:RecentChanges"}>Recent changes</Link>
        <Link href={"/wiki/Special:AllPages"}>All pages</Link>
        <Link href={"/wiki/Special:Watchlist"}>Watchlist</Link>
        <Link href={"/wiki/Special:Log"}>Log</Link>
      </nav>
      <section aria-labelledby="pages">
        <h2 id="pages">Pages ({pages.length})</h2>
        {pages.length === 0 ? <p>No pages yet.</p> : null}
        <ul data-testid="wiki-pages">
          {pages.map((p) => (
            <li key={p.key}>
              <Link href={wikiPath(p.key)}>{p.title}</Link>
            </li>
          ))}
        </ul>
      </section>
      {all.categories.length ? (
        <section aria-labelledby="categories">
          <h2 id="categories">Categories</h2>
          <ul>
            {all.categories.map((c) => (
              <li key={c.key}>
                <Link href={wikiPath(`Category:${c.key}`)}>{c.title}</Link> ({c.count})
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="recent">
        <h2 id="recent">Recent changes</h2>
        <ChangeList rows={recent} />
      </section>
    </div>
  );
}
