// Throughput of the pipeline on generated documents (documents.ts): a long wiki-like document (MB/s), a 30 KB wiki
// page (renders/s, what a save costs) and a code-heavy document (MB/s, mostly highlighting).
// `npm run bench:markdown`; wall time, so run it on a quiet machine.
import { renderMarkdown } from "../src/index";
import { benchOptions, codeDocument, wikiDocument, wikiPage } from "./documents";

function measure(doc: string, minRuns: number, minSeconds: number) {
  renderMarkdown(doc, benchOptions);
  let runs = 0;
  const start = performance.now();
  while (runs < minRuns || performance.now() - start < minSeconds * 1000) {
    renderMarkdown(doc, benchOptions);
    runs++;
  }
  const seconds = (performance.now() - start) / 1000;
  return { runs, seconds, mbPerSecond: (Buffer.byteLength(doc) * runs) / 1e6 / seconds, perSecond: runs / seconds };
}

const mb = (doc: string) => (Buffer.byteLength(doc) / 1e6).toFixed(2);
const kb = (doc: string) => (Buffer.byteLength(doc) / 1e3).toFixed(0);

const wiki = wikiDocument(2000);
const w = measure(wiki, 3, 2);
console.log(`@course/markdown: wiki document ${mb(wiki)} MB: ${w.mbPerSecond.toFixed(2)} MB/s (${w.runs} runs, ${w.seconds.toFixed(2)} s)`);

const page = wikiPage(30_000);
const p = measure(page, 10, 2);
console.log(`@course/markdown: wiki page ${kb(page)} KB: ${p.perSecond.toFixed(0)} renders/s, ${((1000 * p.seconds) / p.runs).toFixed(1)} ms each`);

const code = codeDocument(1000);
const c = measure(code, 3, 2);
console.log(`@course/markdown: code document ${mb(code)} MB: ${c.mbPerSecond.toFixed(2)} MB/s (${c.runs} runs, ${c.seconds.toFixed(2)} s)`);
