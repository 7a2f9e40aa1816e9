import type { Cell, Notebook } from "@course/notebook";
import type { ReactNode } from "react";
import { highlightCode, highlightLanguage } from "./highlight";
import styles from "./notebook.module.css";
import { OutputView } from "./outputs";
import { renderMarkdown } from "./sanitize";

export interface NotebookViewProps {
  /** An nbformat 4 notebook (validated, e.g. by `readNotebook` from `@course/notebook`). */
  notebook: Notebook;
  /** Extra content under a cell (graders' comments), by the cell's position in `notebook.cells`. */
  renderCellExtra?: (cellIndex: number) => ReactNode;
  /** Position of a cell to mark (and that a link to `#cell-<index>` would scroll to). */
  highlightCell?: number;
  /** Text outputs longer than this many lines show only their first lines, with "Show all" for the rest. */
  collapseAfterLines?: number;
  /** Accessible name of the notebook (e.g. "Executed notebook"). */
  label?: string;
}

export const DEFAULT_COLLAPSE_AFTER_LINES = 50;

const source = (cell: Cell) => (typeof cell.source === "string" ? cell.source : cell.source.join(""));

/** The notebook's language: kernelspec, then language_info (TypeScript unless it says otherwise). */
export function notebookDisplayLanguage(notebook: Notebook): string {
  const meta = notebook.metadata;
  const raw = meta.language_info?.name ?? meta.kernelspec?.name ?? "typescript";
  const name = raw.toLowerCase();
  if (name.includes("typescript") || name === "tslab" || name === "deno") return "typescript";
  if (name.includes("javascript")) return "javascript";
  return highlightLanguage(name) ?? name;
}

function CodeCellView({ cell, index, language, collapseAfter }: { cell: Extract<Cell, { cell_type: "code" }>; index: number; language: string; collapseAfter: number }) {
  const count = cell.execution_count ?? " ";
  const code = source(cell);
  return (
    <>
      <div className={styles.input}>
        <div className={styles.prompt} data-prompt="in">{`In [${count}]:`}</div>
        <pre className={styles.source} aria-label={`Code of cell ${index + 1}`}>
          <code className={`hljs language-${language}`} dangerouslySetInnerHTML={{ __html: highlightCode(code, language) }} />
        </pre>
      </div>
      {cell.outputs.length > 0 && (
        <div className={styles.outputs} role="group" aria-label={`Output of cell ${index + 1}`}>
          {cell.outputs.map((output, k) => (
            <OutputView key={k} output={output} ctx={{ cellIndex: index, outputIndex: k, collapseAfter }} />
          ))}
        </div>
      )}
    </>
  );
}

function cellLabel(cell: Cell, index: number): string {
  if (cell.cell_type === "code") return `Cell ${index + 1}, code, In [${cell.execution_count ?? " "}]`;
  return `Cell ${index + 1}, ${cell.cell_type}`;
}

/**
 * Renders an executed Jupyter notebook as plain HTML: no client JavaScript, no Jupyter. Markdown and HTML are
 * sanitized, code is highlighted on the server, images are data: URLs (SVG too, so its scripts never run).
 */
export function NotebookView({ notebook, renderCellExtra, highlightCell, collapseAfterLines = DEFAULT_COLLAPSE_AFTER_LINES, label = "Notebook" }: NotebookViewProps) {
  const language = notebookDisplayLanguage(notebook);
  return (
    <section className={styles.notebook} aria-label={label} data-language={language}>
      {notebook.cells.length === 0 && <p className={styles.note}>This notebook has no cells.</p>}
      {notebook.cells.map((cell, index) => {
        const highlighted = highlightCell === index;
        const extra = renderCellExtra?.(index);
        return (
          <article
            key={cell.id ?? index}
            id={`cell-${index}`}
            className={`${styles.cell} ${highlighted ? styles.highlighted : ""}`}
            data-cell-type={cell.cell_type}
            data-cell-id={cell.id}
            data-highlighted={highlighted ? "true" : undefined}
            aria-label={cellLabel(cell, index)}
            aria-current={highlighted ? "true" : undefined}
          >
            {cell.cell_type === "code" && <CodeCellView cell={cell} index={index} language={language} collapseAfter={collapseAfterLines} />}
            {cell.cell_type === "markdown" && (
              <div
                className={styles.markdown}
                dangerouslySetInnerHTML={{ __html: renderMarkdown(source(cell), cell.attachments) }}
              />
            )}
            {cell.cell_type === "raw" && <pre className={styles.raw}>{source(cell)}</pre>}
            {extra != null && extra !== false && <div className={styles.extra}>{extra}</div>}
          </article>
        );
      })}
    </section>
  );
}
