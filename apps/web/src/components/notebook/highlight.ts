// Syntax highlighting on the server, shared with markdown code fences: @course/markdown's lowlight (highlight.js's
// grammars, the same `hljs-*` classes the CSS styles; synchronous, no network, no WASM).
export { highlightCode, highlightLanguage } from "@course/markdown";
