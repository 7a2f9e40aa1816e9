import type { Metadata } from "next";
import Link from "next/link";
import { WikiDiscussComposer } from "~/components/forum/wiki-discuss-composer";
import { sitePath, withQuery } from "~/lib/routes";
import { notFound, redirect } from "next/navigation";
import { MarkReadOnOpen } from "~/components/homework/notification-list";
import { WikiArticle } from "../wiki-article";
import { RevisionDiff } from "~/components/revisions";
import { PageToolForm, RevisionButton } from "~/components/wiki/wiki-actions";
import { WikiEditor } from "~/components/wiki/wiki-editor";
import styles from "~/components/wiki/wiki.module.css";
import { ChangeList, Tabs } from "~/components/wiki/wiki-views";
import { getCurrentUser } from "~/server/auth/session";
import { hasRole } from "~/server/auth/roles";
import { parseTitle, TitleError, titleFromSegments, wikiPath } from "~/server/wiki/titles";
import { getDb } from "~/server/db";
import { DomainError } from "~/server/errors";
import { wikiDiscussionUrl } from "~/server/forum/wiki-discussion";
import { fileInfo } from "~/server/media/store";
import { allPages, changes, pageDiff, pageForEdit, pageHistory, pageInfo, viewPage, watchlistPages, whatLinksHere, wikiLog, type Viewer } from "~/server/wiki/read";

export const dynamic = "force-dynamic";

type Params = Promise<{ title: string[] }>;
type Search = Promise<Record<string, string | string[] | undefined>>;

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? "";
const int = (v: string) => (/^\d{1,9}$/.test(v) ? Number(v) : undefined);

function titleOf(segments: string[]) {
  try {
    return parseTitle(titleFromSegments(segments));
  } catch (error) {
    if (error instanceof TitleError) return null;
    throw error;
  }
}

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const t = titleOf((await params).title);
  return { title: t ? `${t.title} · Wiki` : "Wiki" };
}

/** Missing, hidden or not a valid title: Next's 404 page; other refusals surface as errors. */
async function orNotFound<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof DomainError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")) notFound();
    throw error;
  }
}

const viewerOf = (user: { id: string; role: Viewer["role"] } | null): Viewer => ({ id: user?.id ?? null, role: user?.role ?? null });

export default async function WikiPage({ params, searchParams }: { params: Params; searchParams: Search }) {
  const segments = (await params).title;
  const query = await searchParams;
  const t = titleOf(segments);
  if (!t) notFound();
  const action = first(query.action) || "view";
  if (t.key.startsWith("Special:")) return <SpecialPage name={t.key.slice("Special:".length)} query={query} />;
  const path = wikiPath(t.key);
  if (action === "raw") redirect(`/api/wiki/raw/${path.slice("/wiki/".length)}${query.oldid ? `?oldid=${first(query.oldid)}` : ""}`);
  const prisma = (await getDb()).prisma;
  const user = await getCurrentUser();
  const viewer = viewerOf(user);

  if (action === "discuss") {
    // The page's topic once someone started it; before that a composer whose first post creates it (never on GET).
    const url = await orNotFound(wikiDiscussionUrl(prisma, t.title));
    if (url) redirect(sitePath(url));
    return (
      <div className={styles.layout}>
        <h1>Discuss: {t.title}</h1>
        <Tabs path={path} current="discuss" />
        {user ? (
          <WikiDiscussComposer title={t.title} />
        ) : (
          <p>
            Nobody has discussed this page yet. <Link href={withQuery("/signin", { callbackUrl: `${path}?action=discuss` })}>Sign in</Link> to start.
          </p>
        )}
      </div>
    );
  }

  if (action === "edit") {
    const page = await orNotFound(pageForEdit(prisma, t.title, viewer));
    return (
      <div className={styles.layout}>
        <h1>{page.exists ? `Editing ${page.title}` : `Creating ${page.title}`}</h1>
        <Tabs path={path} current="edit" />
        {!user ? (
          <p>
            <Link href={withQuery("/signin", { callbackUrl: `${path}?action=edit` })}>Sign in</Link> to edit the wiki.
          </p>
        ) : !page.canEdit ? (
          <p role="alert">This page is protected: only {page.protection === "admin" ? "admins" : "graders and admins"} may edit it.</p>
        ) : (
          <WikiEditor title={page.title} pageKey={page.key} path={path} baseRevision={page.baseRevision} body={page.body} exists={page.exists} />
        )}
      </div>
    );
  }

  if (action === "history") {
    const history = await orNotFound(pageHistory(prisma, t.title, viewer));
    const from = int(first(query.from));
    const to = int(first(query.to));
    const diff = from !== undefined && to !== undefined ? await orNotFound(pageDiff(prisma, t.title, Math.min(from, to), Math.max(from, to), viewer)) : null;
    const latest = history.revisions[0]?.number ?? 0;
    return (
      <div className={styles.layout}>
        {user ? <MarkReadOnOpen link={`${path}?action=history`} /> : null}
        <h1>History of {history.title}</h1>
        <Tabs path={path} current="history" />
        {diff ? (
          <section aria-label="Differences">
            <RevisionDiff diff={diff.diff} view={first(query.view) === "side" ? "side-by-side" : "inline"} oldLabel={`revision ${diff.from}`} newLabel={`revision ${diff.to}`} />
            <p>
              <Link href={`${path}?action=history&from=${diff.from}&to=${diff.to}&view=${first(query.view) === "side" ? "inline" : "side"}`}>
                {first(query.view) === "side" ? "Inline view" : "Side by side"}
              </Link>
            </p>
          </section>
        ) : null}
        <form method="get" action={path} className="stack">
          <input type="hidden" name="action" value="history" />
          <p className="hint">Pick two revisions (the left column: older, the right: newer) and compare them.</p>
          <div className={styles.table}>
            <table data-testid="wiki-history">
              <thead>
                <tr>
                  <th scope="col">From</th>
                  <th scope="col">To</th>
                  <th scope="col">Revision</th>
                  <th scope="col">Author</th>
                  <th scope="col">Summary</th>
                  <th scope="col">Size</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {history.revisions.map((r, i) => (
                  <tr key={r.number} data-revision={r.number}>
                    <td>
                      <input type="radio" name="from" value={r.number} defaultChecked={i === 1 || (history.revisions.length === 1 && i === 0)} aria-label={`from revision ${r.number}`} />
                    </td>
                    <td>
                      <input type="radio" name="to" value={r.number} defaultChecked={i === 0} aria-label={`to revision ${r.number}`} />
                    </td>
                    <td>
                      <Link href={`${path}?oldid=${r.number}`}>
                        {r.number} · <time dateTime={r.createdAt.toISOString()}>{r.createdAt.toISOString().slice(0, 16).replace("T", " ")} UTC</time>
                      </Link>
                      {r.minor ? <abbr title="minor edit"> m</abbr> : null}
                      {r.merged ? <span className="hint"> (merged)</span> : null}
                    </td>
                    <td>
                      <Link href={`/wiki/Special:Contributions/${encodeURIComponent(r.authorName)}`}>{r.authorName}</Link>
                    </td>
                    <td>{r.summary}</td>
                    <td>
                      {r.size} ({r.change >= 0 ? `+${r.change}` : r.change})
                    </td>
                    <td>
                      {user && r.number !== latest ? <RevisionButton title={history.title} revision={r.number} kind="revert" path={path} /> : null}{" "}
                      {user ? <RevisionButton title={history.title} revision={r.number} kind="undo" path={path} /> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <button type="submit">Compare selected revisions</button>
        </form>
      </div>
    );
  }

  if (action === "info") {
    const info = await orNotFound(pageInfo(prisma, t.title, viewer));
    const when = (x: { at: Date; by: string } | null) => (x ? `${x.at.toISOString().slice(0, 16).replace("T", " ")} UTC by ${x.by}` : "—");
    return (
      <div className={styles.layout}>
        <h1>Information about {info.title}</h1>
        <Tabs path={path} current="info" />
        <dl data-testid="wiki-info">
          <dt>Created</dt>
          <dd>{when(info.created)}</dd>
          <dt>Last edit</dt>
          <dd>{when(info.lastEdit)}</dd>
          <dt>Revisions</dt>
          <dd>{info.revisions} by {info.editors} {info.editors === 1 ? "author" : "authors"}</dd>
          <dt>Length</dt>
          <dd>{info.length} characters</dd>
          <dt>Watchers</dt>
          <dd>{info.watchers}</dd>
          <dt>Pages linking here</dt>
          <dd>
            <Link href={`/wiki/Special:WhatLinksHere/${info.key}`}>{info.linksHere}</Link>
          </dd>
          <dt>Protection</dt>
          <dd>
            {info.protection === "none" ? "none: everyone signed in may edit" : `${info.protection}s and up may edit`}
            {info.protectionReason ? ` (${info.protectionReason})` : ""}
          </dd>
        </dl>
        {user ? <PageToolForm title={info.title} tool="move" /> : null}
        {user && hasRole(user.role, "grader") ? <PageToolForm title={info.title} tool="protect" protection={info.protection} /> : null}
        {user?.role === "admin" ? <PageToolForm title={info.title} tool={info.deleted ? "restore" : "delete"} /> : null}
      </div>
    );
  }

  const oldid = int(first(query.oldid));
  const page = await orNotFound(viewPage(prisma, t.title, viewer, { revision: oldid }));
  if (page.exists && page.redirectKey && first(query.redirect) !== "no" && oldid === undefined) {
    redirect(`${wikiPath(page.redirectKey)}?rdfrom=${encodeURIComponent(page.key)}`);
  }
  return (
    <WikiArticle
      page={page}
      user={user}
      oldid={oldid}
      rdfrom={first(query.rdfrom)}
      merged={first(query.merged) !== ""}
      file={t.key.startsWith("File:") ? await fileInfo(prisma, t.key.slice("File:".length)) : undefined}
    />
  );
}

async function SpecialPage({ name, query }: { name: string; query: Record<string, string | string[] | undefined> }) {
  const prisma = (await getDb()).prisma;
  const viewer = viewerOf(await getCurrentUser());
  const [special, ...rest] = name.split("/");
  const arg = rest.join("/").replace(/_/g, " ");
  switch (special?.toLowerCase()) {
    case "recentchanges": {
      const hideMinor = first(query.hideminor) === "1";
      const userFilter = first(query.user).trim();
      const rows = await changes(prisma, viewer, { hideMinor, ...(userFilter ? { byName: userFilter } : {}), limit: 100 });
      return (
        <div className={styles.layout}>
          <h1>Recent changes</h1>
          <form method="get" className={styles.actions}>
            <label>
              By user <input name="user" defaultValue={userFilter} maxLength={200} />
            </label>
            <label>
              <input type="checkbox" name="hideminor" value="1" defaultChecked={hideMinor} /> Hide minor edits
            </label>
            <button type="submit">Show</button>
          </form>
          <ChangeList rows={rows} />
        </div>
      );
    }
    case "contributions": {
      if (!arg) notFound();
      const rows = await changes(prisma, viewer, { byName: arg, limit: 500 });
      return (
        <div className={styles.layout}>
          <h1>Contributions of {arg}</h1>
          <ChangeList rows={rows} hideAuthor />
        </div>
      );
    }
    case "watchlist": {
      const user = await getCurrentUser();
      if (!user) {
        return (
          <div className={styles.layout}>
            <h1>Watchlist</h1>
            <p>
              <Link href={"/signin?callbackUrl=/wiki/Special:Watchlist"}>Sign in</Link> to see the changes to the pages you watch.
            </p>
          </div>
        );
      }
      const list = { changes: await changes(prisma, viewer, { watchedBy: user.id }), pages: await watchlistPages(prisma, user.id) };
      return (
        <div className={styles.layout}>
          <h1>Watchlist</h1>
          <p>
            You watch {list.pages.length} {list.pages.length === 1 ? "page" : "pages"}:{" "}
            {list.pages.map((p, i) => (
              <span key={p.key}>
                {i ? ", " : ""}
                <Link href={wikiPath(p.key)}>{p.title}</Link>
              </span>
            ))}
          </p>
          <ChangeList rows={list.changes} />
        </div>
      );
    }
    case "whatlinkshere": {
      if (!arg) notFound();
      const result = await orNotFound(whatLinksHere(prisma, arg, viewer));
      return (
        <div className={styles.layout}>
          <h1>Pages that link to {result.title}</h1>
          {result.pages.length === 0 ? <p>No page links to <Link href={wikiPath(result.key)}>{result.title}</Link>.</p> : null}
          <ul data-testid="wiki-links-here">
            {result.pages.map((p) => (
              <li key={p.key}>
                <Link href={`${wikiPath(p.key)}${p.isRedirect ? "?redirect=no" : ""}`}>{p.title}</Link>
                {p.isRedirect ? " (redirect)" : ""}
              </li>
            ))}
          </ul>
        </div>
      );
    }
    case "allpages": {
      const all = await allPages(prisma);
      return (
        <div className={styles.layout}>
          <h1>All pages</h1>
          <ul>
            {all.pages.map((p) => (
              <li key={p.key}>
                <Link href={`${wikiPath(p.key)}${p.redirectKey ? "?redirect=no" : ""}`}>{p.title}</Link>
                {p.redirectKey ? ` → ${p.redirectKey.replace(/_/g, " ")}` : ""}
              </li>
            ))}
          </ul>
        </div>
      );
    }
    case "log": {
      const entries = await wikiLog(prisma);
      return (
        <div className={styles.layout}>
          <h1>Wiki log</h1>
          <ul>
            {entries.map((e, i) => (
              <li key={i}>
                {e.createdAt.toISOString().slice(0, 16).replace("T", " ")} UTC · {e.actorName} {e.action === "move" ? "moved" : `${e.action}d`.replace("eed", "ed")}{" "}
                <Link href={wikiPath(e.title)}>{e.title}</Link>
                {e.detail ? ` (${e.detail})` : ""}
                {e.reason ? `: ${e.reason}` : ""}
              </li>
            ))}
          </ul>
        </div>
      );
    }
    default:
      notFound();
  }
}
