import { formatTime } from "@course/content";
import Link from "next/link";
import type { SearchHit } from "~/server/search";
import styles from "./search.module.css";
import { storedHref } from "~/lib/routes";
import { formatUtc } from "~/lib/format";

export type ResultHit = SearchHit & {
  lessonTitle: string | null;
  categoryName: string | null;
  author: { name: string; username: string | null } | null;
};

const KIND_LABEL: Record<SearchHit["kind"], string> = { lesson: "Lesson", transcript: "Video", wiki: "Wiki", post: "Forum" };

function heading(hit: ResultHit): { html: string } | { text: string } {
  if (hit.kind === "transcript") return { text: `${hit.lessonTitle ?? hit.lessonSlug ?? "Lesson"} at ${formatTime(hit.seconds ?? 0)}` };
  return hit.title ? { html: hit.titleHtml } : { text: hit.url };
}

/** Where a hit stands: a post's category, author, day written and whether its topic is solved. */
function HitMeta({ hit }: { hit: ResultHit }) {
  if (!hit.category && !hit.author && !hit.writtenAt) return null;
  return (
    <p className={styles.meta} data-testid="search-hit-meta">
      {hit.category ? (
        <>
          in <Link href={`/forum/c/${encodeURIComponent(hit.category)}`}>{hit.categoryName ?? hit.category}</Link>
        </>
      ) : null}
      {hit.author ? (
        <>
          {" "}
          by {hit.author.username ? <Link href={`/forum/u/${encodeURIComponent(hit.author.username)}`}>{hit.author.name}</Link> : hit.author.name}
        </>
      ) : null}
      {hit.writtenAt ? (
        <>
          {" "}
          on <time dateTime={new Date(hit.writtenAt).toISOString()}>{formatUtc(hit.writtenAt, "day")}</time>
        </>
      ) : null}
      {hit.solved ? (
        <>
          {" "}
          <span className="badge">Solved</span>
        </>
      ) : null}
    </p>
  );
}

/** One page of hits, each labelled with its kind; titles and snippets are the server's escaped HTML. */
export function SearchResults({ hits }: { hits: ResultHit[] }) {
  return (
    <ol className={styles.results} aria-label="Search results">
      {hits.map((hit) => {
        const h = heading(hit);
        return (
          <li key={`${hit.kind}:${hit.key}`} className={`card ${styles.hit}`} data-testid="search-hit" data-kind={hit.kind}>
            <div>
              <span className="badge">{KIND_LABEL[hit.kind]}</span>{" "}
              <Link href={storedHref(hit.url)} className={styles.hitTitle}>
                {"html" in h ? <span dangerouslySetInnerHTML={{ __html: h.html }} /> : h.text}
              </Link>
            </div>
            <HitMeta hit={hit} />
            <p className={styles.snippet} dangerouslySetInnerHTML={{ __html: hit.snippetHtml }} />
          </li>
        );
      })}
    </ol>
  );
}
