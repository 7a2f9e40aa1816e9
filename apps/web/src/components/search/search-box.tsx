import type { ReactNode } from "react";
import styles from "./search.module.css";

/**
 * The site's search box: a plain GET form to /search, so it works before (and without) JavaScript. Meant for the
 * header; `autoFocus` for the results page's own box. `hidden` scopes it (the forum's box sends `kinds=post`);
 * `children` go inside the same form (the results page's filters), so one submit sends the words and the filters.
 */
export function SearchBox({
  defaultValue = "",
  autoFocus = false,
  label = "Search the course",
  placeholder = "Search the course and wiki",
  hidden = {},
  children,
}: {
  defaultValue?: string;
  autoFocus?: boolean;
  label?: string;
  placeholder?: string;
  hidden?: Record<string, string>;
  children?: ReactNode;
}) {
  return (
    <form role="search" aria-label={label} action="/search" method="get" className={styles.form}>
      <div className={styles.box}>
        <input
          aria-label={label}
          className={styles.input}
          type="search"
          name="q"
          placeholder={placeholder}
          defaultValue={defaultValue}
          maxLength={200}
          autoFocus={autoFocus}
          required
        />
        {Object.entries(hidden).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        <button type="submit" className={`button ${styles.button}`}>
          Search
        </button>
      </div>
      {children}
    </form>
  );
}
