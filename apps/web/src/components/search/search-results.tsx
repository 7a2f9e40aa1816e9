import { formatTime } from "@course/content";
import Link from "next/link";
import type { SearchHit } from "~/server/search";
import styles from "./search.module.css";
import { storedHref } from "~/lib/routes";

export type ResultHit = SearchHit & { lessonTitle: string | null };

const KIND_LABEL: Record<SearchHit["kind"], string> = { lesson: "Lesson", transcript: "Video", wiki: "Wiki", post: "Forum" };

function heading(hit: ResultHit): { html: string } | { text: string } {
  if (hit.kind === "transcript") return { text: `${hit.lessonTitle ?? hit.lessonSlug ?? "Lesson"} at ${formatTime(hit.seconds ?? 0)}` };
  return hit.title ? { html: hit.titleHtml } : { text: hit.url };
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
            <p className={styles.snippet} dangerouslySetInnerHTML={{ __html: hit.snippetHtml }} />
          </li>
        );
      })}
    </ol>
  );
}
