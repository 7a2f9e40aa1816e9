import { joinMultiline } from "./multiline";
import type { Notebook, Output } from "./schema";

function renderOutput(output: Output): string {
  switch (output.output_type) {
    case "stream":
      return joinMultiline(output.text);
    case "error":
      return `${output.traceback.join("\n")}\n`;
    case "execute_result":
    case "display_data": {
      const plain = output.data["text/plain"];
      if (typeof plain === "string" || Array.isArray(plain)) return `${joinMultiline(plain as string | string[])}\n`;
      return `[${Object.keys(output.data).join(", ")}]\n`;
    }
  }
}

/** Plain-text rendering of a notebook and its outputs (for logs and grader views). */
export function renderNotebookText(nb: Notebook): string {
  const parts: string[] = [];
  for (const cell of nb.cells) {
    const source = joinMultiline(cell.source);
    if (cell.cell_type === "code") {
      parts.push(`In [${cell.execution_count ?? " "}]:\n${source}\n`);
      const out = cell.outputs.map(renderOutput).join("");
      if (out) parts.push(`Out:\n${out}`);
    } else {
      parts.push(`[${cell.cell_type}]\n${source}\n`);
    }
  }
  return parts.join("\n");
}
