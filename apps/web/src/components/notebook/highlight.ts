// Syntax highlighting on the server with highlight.js (pure JavaScript, synchronous, no network, no WASM).
// Only the grammars notebooks here use are registered, which keeps the module small.
import hljs from "highlight.js/lib/core";
import bash from "highlight.js/lib/languages/bash";
import javascript from "highlight.js/lib/languages/javascript";
import json from "highlight.js/lib/languages/json";
import python from "highlight.js/lib/languages/python";
import typescript from "highlight.js/lib/languages/typescript";

hljs.registerLanguage("typescript", typescript);
hljs.registerLanguage("javascript", javascript);
hljs.registerLanguage("json", json);
hljs.registerLanguage("python", python);
hljs.registerLanguage("bash", bash);

const ALIASES: Record<string, string> = { ts: "typescript", tsx: "typescript", js: "javascript", jsx: "javascript", node: "javascript", sh: "bash", shell: "bash", py: "python", python3: "python" };

/** A grammar name highlight.js knows for a notebook's language, or undefined (the code is then shown plain). */
export function highlightLanguage(language: string | undefined): string | undefined {
  if (!language) return undefined;
  const name = ALIASES[language.toLowerCase()] ?? language.toLowerCase();
  return hljs.getLanguage(name) ? name : undefined;
}

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Code -> HTML made only of escaped text and `<span class="hljs-...">` (highlight.js escapes the code itself). */
export function highlightCode(code: string, language: string | undefined): string {
  const grammar = highlightLanguage(language);
  if (!grammar) return escapeHtml(code);
  return hljs.highlight(code, { language: grammar, ignoreIllegals: true }).value;
}
