export { NotebookView, DEFAULT_COLLAPSE_AFTER_LINES, notebookDisplayLanguage, type NotebookViewProps } from "./notebook-view";
export { renderMarkdown, sanitizeNotebookHtml } from "./sanitize";
export { parseAnsi, stripAnsi } from "./ansi";
