import type { CSSProperties } from "react";
import { formatUtc } from "~/lib/format";
import type { CategoryOverview, TopicListItem } from "~/server/forum/read";
import { TopicStates } from "./topic-tools";
import styles from "./forum.module.css";

const catStyle = (color: string): CSSProperties | undefined => (color ? ({ "--cat": color } as CSSProperties) : undefined);

/** A category's name as a small coloured badge linking to it. */
export function CategoryBadge({ category }: { category: { slug: string; name: string; color: string } }) {
  return (
    <a href={`/forum/c/${category.slug}`} className={styles.badge} style={catStyle(category.color)}>
      {category.name}
    </a>
  );
}

/** /forum's list of categories: name, description, topic count and latest topic. */
export function CategoryList({ categories }: { categories: CategoryOverview[] }) {
  return (
    <ul className={styles.categories} data-testid="forum-categories">
      {categories.map((c) => (
        <li key={c.slug} className={styles.category} style={catStyle(c.color)} data-testid="forum-category" data-slug={c.slug}>
          <div className={styles.categoryHead}>
            <a href={c.url}>
              <strong>{c.name}</strong>
            </a>
            <span className={styles.muted} data-testid="topic-count">
              {c.topicCount === 1 ? "1 topic" : `${c.topicCount} topics`}
            </span>
          </div>
          {c.description ? <span className={styles.muted}>{c.description}</span> : null}
          {c.latest ? (
            <span className={styles.muted}>
              Latest: <a href={c.latest.url}>{c.latest.title}</a> · {formatUtc(c.latest.bumpedAt)}
            </span>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

/** Topics as a table: title (with states and category), replies, activity. */
export function TopicTable({ topics, showCategory }: { topics: TopicListItem[]; showCategory: boolean }) {
  if (topics.length === 0) return <p className={styles.muted}>No topics yet.</p>;
  return (
    <div className={styles.table}>
      <table data-testid="topic-list">
        <thead>
          <tr>
            <th scope="col">Topic</th>
            <th scope="col" className={styles.numeric}>
              Replies
            </th>
            <th scope="col">Activity</th>
          </tr>
        </thead>
        <tbody>
          {topics.map((t) => (
            <tr key={t.id} data-testid="topic-row">
              <td>
                <a href={t.url}>{t.title}</a>
                <TopicStates states={{ pinned: t.pinned, closed: t.closed, archived: t.archived, unlisted: t.unlisted, solved: t.solved }} />
                <div className={styles.muted}>
                  {showCategory ? (
                    <>
                      <CategoryBadge category={t.category} />{" "}
                    </>
                  ) : null}
                  by {t.author}
                </div>
              </td>
              <td className={styles.numeric}>{t.replyCount}</td>
              <td className={styles.muted}>
                {formatUtc(t.bumpedAt)}
                {t.lastPoster ? <div>{t.lastPoster}</div> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
