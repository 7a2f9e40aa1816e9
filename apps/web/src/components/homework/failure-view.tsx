import type { FailureExplanation } from "./failure";
import styles from "./failure.module.css";

/**
 * A failed run as the student reads it: what happened in plain words, the exception with its cell (`In [n]`) and
 * the lines around the error (the failing one marked), what to do next, and the raw details folded away.
 */
export function FailureView({ explanation, details }: { explanation: FailureExplanation; details: string | null }) {
  const { exception } = explanation;
  const cell = exception?.executionCount != null ? `In [${exception.executionCount}]` : null;
  return (
    <section className={styles.failure} aria-label="Why it failed" data-testid="failure-explanation">
      <h3 data-testid="failure-title">{explanation.title}</h3>
      {exception ? (
        <div className="stack" style={{ gap: 6 }} data-testid="failure-exception">
          <p>
            <strong data-testid="failure-ename">{exception.ename}</strong>
            {cell ? (
              <>
                {" in "}
                {exception.cellIndex !== null ? (
                  <a href={`#cell-${exception.cellIndex}`} data-testid="failure-cell">
                    {cell}
                  </a>
                ) : (
                  <span data-testid="failure-cell">{cell}</span>
                )}
              </>
            ) : null}
            {exception.line !== null ? `, line ${exception.line}` : null}
          </p>
          {exception.evalue ? (
            <p className={styles.evalue} data-testid="failure-message">
              {exception.evalue}
            </p>
          ) : null}
          {exception.source.length > 0 ? (
            <pre className={styles.source} data-testid="failure-source" aria-label={`Code of ${cell ?? "the cell"} around the error`}>
              {exception.source.map((l) => (
                <span key={l.line} className={styles.sourceLine} data-error={l.error ? "true" : undefined} data-testid={l.error ? "failure-line" : undefined}>
                  <span className={styles.lineNo}>{l.error ? "→" : ""}{l.line}</span>
                  {l.text}
                  {"\n"}
                </span>
              ))}
            </pre>
          ) : null}
        </div>
      ) : null}
      <p data-testid="failure-summary">{explanation.summary}</p>
      <p data-testid="failure-next">
        <strong>What to do: </strong>
        {explanation.next}
      </p>
      {details ? (
        <details className={styles.details} data-testid="failure-details">
          <summary>Technical details</summary>
          <pre className={styles.raw}>{details}</pre>
        </details>
      ) : null}
    </section>
  );
}
