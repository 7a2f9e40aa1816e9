import type { Assignment } from "@course/content";
import Link from "next/link";
import { formatBytes, formatDuration, formatUtc } from "~/lib/format";
import styles from "./homework.module.css";

/** The lesson page's homework box: title, deadline with time left, limits, and links. */
export function HomeworkBox({ assignments, error = null, now = new Date() }: { assignments: Assignment[]; error?: string | null; now?: Date }) {
  if (error) {
    return (
      <div className="alert error" role="alert">
        The homework for this lesson could not be loaded: <pre style={{ whiteSpace: "pre-wrap", margin: 0 }}>{error}</pre>
      </div>
    );
  }
  if (assignments.length === 0) return null;
  return (
    <>
      {assignments.map((a) => {
        const left = a.deadline.getTime() - now.getTime();
        return (
          <section key={a.slug} className={`card ${styles.box}`} aria-labelledby={`homework-${a.slug}`} data-testid="homework-box">
            <h2 id={`homework-${a.slug}`}>Homework: {a.title}</h2>
            <ul className={styles.facts}>
              <li>
                Deadline <strong><time dateTime={a.deadline.toISOString()}>{formatUtc(a.deadline)}</time></strong>{" "}
                {left > 0 ? `(${formatDuration(left)} left)` : "(closed)"}
              </li>
              <li>
                <strong>{a.dailyLimit}</strong> submission{a.dailyLimit === 1 ? "" : "s"} a day (UTC)
              </li>
              <li>
                Notebooks up to <strong>{formatBytes(a.maxFileBytes)}</strong>
              </li>
            </ul>
            <div className={styles.actions}>
              <Link className="button" href={`/homework/${a.slug}`}>
                {left > 0 ? "Submit your notebook" : "See your submissions"}
              </Link>
              {a.templateExists ? (
                <a className="button secondary" href={`/homework/${a.slug}/template.ipynb`} download>
                  Download the template notebook
                </a>
              ) : null}
              <Link href={`/leaderboard/${a.slug}`}>Leaderboard</Link>
            </div>
          </section>
        );
      })}
    </>
  );
}
