import styles from "./search.module.css";

/**
 * The site's search box: a plain GET form to /search, so it works before (and without) JavaScript. Meant for the
 * header; `autoFocus` for the results page's own box.
 */
export function SearchBox({ defaultValue = "", autoFocus = false }: { defaultValue?: string; autoFocus?: boolean }) {
  return (
    <form role="search" action="/search" method="get" className={styles.box}>
      <input
        aria-label="Search the course"
        className={styles.input}
        type="search"
        name="q"
        placeholder="Search the course and wiki"
        defaultValue={defaultValue}
        maxLength={200}
        autoFocus={autoFocus}
        required
      />
      <button type="submit" className={`button ${styles.button}`}>
        Search
      </button>
    </form>
  );
}
