/**
 * `npm run bench:search`: search latency (p50/p95) over generated text — 10,000 transcript lines and 5,000 forum
 * posts — on embedded PGlite, and on PostgreSQL too when TEST_DATABASE_URL is set (a throwaway database is created
 * and dropped). A benchmark, not a test: it prints a table and asserts nothing. Bounded: a fixed number of queries.
 * Options: --lines N, --posts N, --rounds N (each round runs every query once; default 15).
 */
import { performance } from "node:perf_hooks";
import { testBackends } from "@course/db/testing";
import { indexDocuments, type SearchDocumentInput } from "../src/server/search/documents";
import { search } from "../src/server/search/search";

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1 || value > 1_000_000) throw new Error(`--${name} must be a whole number from 1 to 1000000.`);
  return value;
}
const LINES = option("lines", 10_000);
const POSTS = option("posts", 5_000);
const ROUNDS = option("rounds", 15);

// A deterministic generator (mulberry32), so every run searches the same text.
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = random(42);
const WORDS = (
  "the a we model data training learning rate loss gradient descent layer network image classifier pretrained weights " +
  "batch epoch accuracy validation set fine tune head convolution pooling activation relu softmax tensor shape notebook " +
  "cats dogs photo label prediction metric error overfitting regularization dropout augmentation transfer features " +
  "embedding optimizer momentum adam schedule one cycle cross entropy probability python typescript run cell output " +
  "then because so and of to in is it that this with for on you can will see how why what when"
).split(" ");
const NAMES = ["lr_find", "resnet34", "conv_pw_13", "fit_one_cycle", "mobilenet_v2", "DataLoader", "cnn_learner"];
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
const sentence = (n: number) => Array.from({ length: n }, () => (rand() < 0.03 ? pick(NAMES) : pick(WORDS))).join(" ");

function documents() {
  const lines: SearchDocumentInput[] = Array.from({ length: LINES }, (_, i) => {
    const slug = `lesson-${1 + (i % 8)}`;
    const seconds = Math.floor(i / 8) * 5;
    return { key: `${slug}#${i}`, url: `/lessons/${slug}?t=${seconds}`, title: "", body: sentence(8 + Math.floor(rand() * 12)), lessonSlug: slug, seconds };
  });
  const posts: SearchDocumentInput[] = Array.from({ length: POSTS }, (_, i) => ({
    key: String(i),
    url: `/forum/p/${i}`,
    title: sentence(4 + Math.floor(rand() * 5)),
    body: Array.from({ length: 2 + Math.floor(rand() * 4) }, () => sentence(15 + Math.floor(rand() * 25))).join(". "),
  }));
  return { lines, posts };
}

const QUERIES: { label: string; q: string }[] = [
  { label: "one word", q: "gradient" },
  { label: "two words", q: "learning rate" },
  { label: "phrase", q: '"cross entropy loss"' },
  { label: "or / exclude", q: "dropout or augmentation -cats" },
  { label: "name (trigram)", q: "lr_find" },
  { label: "name (trigram)", q: "conv_pw_13" },
  { label: "typo (trigram)", q: "resnt" },
  { label: "no match", q: "zebra quantum" },
];

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

const rows: string[][] = [];
for (const backend of testBackends()) {
  const { db, dispose } = await backend.create();
  try {
    const { lines, posts } = documents();
    const t0 = performance.now();
    await indexDocuments(db.prisma, "transcript", lines);
    await indexDocuments(db.prisma, "post", posts);
    const indexMs = performance.now() - t0;
    await db.prisma.$executeRawUnsafe(`ANALYZE "SearchDocument"`);
    for (const { q } of QUERIES) await search(db.prisma, { q }); // warm up
    const byLabel = new Map<string, number[]>();
    const all: number[] = [];
    let hits = 0;
    for (let round = 0; round < ROUNDS; round++) {
      for (const { label, q } of QUERIES) {
        const start = performance.now();
        const result = await search(db.prisma, { q });
        const ms = performance.now() - start;
        hits += result.hits.length;
        all.push(ms);
        byLabel.set(label, [...(byLabel.get(label) ?? []), ms]);
      }
    }
    for (const [label, times] of [...byLabel, ["all queries", all] as const]) {
      const sorted = [...times].sort((a, b) => a - b);
      rows.push([backend.name, label, String(sorted.length), percentile(sorted, 50).toFixed(1), percentile(sorted, 95).toFixed(1)]);
    }
    console.error(`${backend.name}: indexed ${lines.length} transcript lines and ${posts.length} posts in ${(indexMs / 1000).toFixed(1)} s; ${hits} hits returned`);
  } finally {
    await dispose();
  }
}

const header = ["database", "query", "runs", "p50 ms", "p95 ms"];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => (i >= 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ");
console.log(`Search latency over ${LINES} transcript lines and ${POSTS} posts, ${ROUNDS} rounds (20 hits per page)`);
console.log(line(header));
console.log(widths.map((w) => "-".repeat(w)).join("  "));
for (const row of rows) console.log(line(row));
if (!process.env.TEST_DATABASE_URL) console.log("(set TEST_DATABASE_URL=postgresql://... to measure PostgreSQL too)");
