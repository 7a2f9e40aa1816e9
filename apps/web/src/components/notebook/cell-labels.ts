import type { Notebook } from "@course/notebook";

/**
 * How people refer to each cell, by its position in `notebook.cells`: a code cell that ran is `In [n]`, its
 * execution count (the number the notebook shows beside it, and the one tracebacks and the live progress use); a
 * code cell that did not run is "code cell k" (k-th code cell); a text cell is "markdown cell k" (k-th markdown
 * cell); a raw cell "raw cell k".
 */
export function cellLabels(notebook: Notebook): string[] {
  const seen = { code: 0, markdown: 0, raw: 0 };
  return notebook.cells.map((cell) => {
    const k = ++seen[cell.cell_type];
    if (cell.cell_type === "code") return cell.execution_count != null ? `In [${cell.execution_count}]` : `code cell ${k}`;
    return `${cell.cell_type} cell ${k}`;
  });
}
