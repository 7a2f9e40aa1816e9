import Link from "next/link";
import type { ChangeRow } from "~/server/wiki/read";
import { wikiPath, type WikiPath } from "~/server/wiki/titles";
import styles from "./wiki.module.css";

interface Tab {
  id: string;
  href: `/wiki/${string}`;
  label: string;
}

/** The page's tabs: read, edit, discuss (its forum topic), history, information. */
export function Tabs({ path, current, exists = true, canEdit = true }: { path: WikiPath; current: string; exists?: boolean; canEdit?: boolean }) {
  const more: Tab[] = exists
    ? [
        { id: "discuss", href: `${path}?action=discuss`, label: "Discuss" },
        { id: "history", href: `${path}?action=history`, label: "History" },
        { id: "info", href: `${path}?action=info`, label: "Information" },
        { id: "raw", href: `${path}?action=raw`, label: "Raw" },
        { id: "links", href: `/wiki/Special:WhatLinksHere/${path.slice("/wiki/".length)}`, label: "What links here" },
      ]
    : [];
  const tabs: Tab[] = [
    { id: "view", href: path, label: "Read" },
    { id: "edit", href: `${path}?action=edit`, label: exists ? (canEdit ? "Edit" : "View source") : "Create" },
    ...more,
  ];
  return (
    <nav className={styles.tabs} aria-label="Page tabs">
      {tabs.map((t) =>
        t.id === "raw" ? (
          <a key={t.id} href={t.href}>
            {t.label}
          </a>
        ) : (
          <Link key={t.id} href={t.href} aria-current={t.id === current ? "page" : undefined}>
            {t.label}
          </Link>
        ),
      )}
    </nav>
  );
}

/** The rendered page (HTML from the one markdown pipeline, already sanitized) with its table of contents. */
export function WikiBody({ html, toc }: { html: string; toc: Array<{ depth: number; text: string; id: string }> }) {
  return (
    <>
      {toc.length >= 3 ? (
        <nav className={styles.toc} aria-label="Contents" data-testid="wiki-toc">
          <strong>Contents</strong>
          <ol>
            {toc.map((h) => (
              <li key={h.id} style={{ marginLeft: `${(h.depth - Math.min(...toc.map((x) => x.depth))) * 1}rem` }}>
                <a href={`#${h.id}`}>{h.text}</a>
              </li>
            ))}
          </ol>
        </nav>
      ) : null}
      <article className={styles.body} data-testid="wiki-body" dangerouslySetInnerHTML={{ __html: html }} />
    </>
  );
}

/** Edits, newest first: RecentChanges, Contributions, Watchlist. */
export function ChangeList({ rows, hideAuthor = false }: { rows: ChangeRow[]; hideAuthor?: boolean }) {
  if (rows.length === 0) return <p>No changes.</p>;
  return (
    <ul data-testid="wiki-changes">
      {rows.map((r) => (
        <li key={`${r.key}:${r.number}`}>
          <time dateTime={r.createdAt.toISOString()}>{r.createdAt.toISOString().slice(0, 16).replace("T", " ")} UTC</time> ·{" "}
          <Link href={wikiPath(r.key)}>{r.title}</Link> (
          {r.number > 1 ? <Link href={`${wikiPath(r.key)}?action=history&from=${r.number - 1}&to=${r.number}`}>diff</Link> : "new"} ·{" "}
          <Link href={`${wikiPath(r.key)}?action=history`}>history</Link>) {r.minor ? <abbr title="minor edit">m</abbr> : null}{" "}
          <span>{r.change >= 0 ? `+${r.change}` : r.change}</span>
          {hideAuthor ? null : (
            <>
              {" · "}
              <Link href={`/wiki/Special:Contributions/${encodeURIComponent(r.author)}`}>{r.author}</Link>
            </>
          )}
          {r.summary ? <em> ({r.summary})</em> : null}
        </li>
      ))}
    </ul>
  );
}
