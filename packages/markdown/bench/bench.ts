// Throughput of the pipeline on a long, wiki-like generated document: prints MB/s. `npm run bench:markdown`.
import { renderMarkdown } from "../src/index";

function wikiDocument(sections: number): string {
  const parts: string[] = [];
  for (let i = 0; i < sections; i++) {
    parts.push(
      `## Section ${i}\n\nSome **bold** and _italic_ text with a [[Page ${i % 50}]] link, a [[Missing ${i}|red link]], @alice, ` +
        `[[Lesson 1@${i % 60}:${String(i % 60).padStart(2, "0")}]] and [a link](https://example.com/${i}).\n\n` +
        `- item one\n- item two with \`code\`\n  - nested item\n\n> [!quote @alice](/forum/t/${i}#p1)\n> Quoted text for section ${i}.\n\n` +
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n```python\ndef f(x):\n    return x * 2\n```\n",
    );
  }
  return parts.join("\n");
}

const doc = wikiDocument(2000);
const options = {
  user: (n: string) => (n === "alice" ? { url: "/users/alice" } : undefined),
  lesson: (n: string) => (n === "Lesson 1" ? { slug: "lesson-1" } : undefined),
  wikiPage: (t: string) => ({ url: `/wiki/${t.replace(/ /g, "_")}`, exists: !t.startsWith("Missing") }),
};
renderMarkdown(doc.slice(0, 10_000), options);
const runs = 3;
const start = performance.now();
for (let i = 0; i < runs; i++) renderMarkdown(doc, options);
const seconds = (performance.now() - start) / 1000;
const mb = (Buffer.byteLength(doc) * runs) / 1e6;
console.log(`@course/markdown: ${(mb / runs).toFixed(2)} MB document, ${(mb / seconds).toFixed(2)} MB/s (${runs} runs, ${seconds.toFixed(2)} s)`);
