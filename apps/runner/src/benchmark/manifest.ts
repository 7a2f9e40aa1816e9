import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";

/** Folder names inside a benchmark directory. Only train/valid/test are ever mounted into the sandbox. */
export const BENCHMARK_LAYOUT = {
  train: "train",
  valid: "valid",
  test: "test",
  hidden: "hidden",
  labels: "hidden/labels.csv",
  manifest: "benchmark.json",
} as const;

export const CLASS_DIRS = { cat: "cats", dog: "dogs" } as const;

const ClassCountsSchema = z.object({ cats: z.number().int().nonnegative(), dogs: z.number().int().nonnegative() });

export const BenchmarkManifestSchema = z.object({
  format: z.literal(1),
  name: z.string().min(1),
  seed: z.number().int(),
  created: z.string().datetime(),
  fractions: z.object({ valid: z.number().min(0).max(1), test: z.number().min(0).max(1) }),
  counts: z.object({
    train: ClassCountsSchema,
    valid: ClassCountsSchema,
    test: z.number().int().nonnegative(),
    total: z.number().int().nonnegative(),
  }),
  /** Salt for the public/private split: sha256(splitSalt + ":" + id), first byte even -> public. */
  splitSalt: z.string().regex(/^[0-9a-f]{32}$/),
  hashes: z.object({
    /** sha256 over "relative/path\tsha256(file)\n" for every file but benchmark.json, sorted by path. */
    content: z.string().regex(/^[0-9a-f]{64}$/),
    labels: z.string().regex(/^[0-9a-f]{64}$/),
  }),
});
export type BenchmarkManifest = z.infer<typeof BenchmarkManifestSchema>;

export interface Benchmark {
  dir: string;
  manifest: BenchmarkManifest;
  trainDir: string;
  validDir: string;
  testDir: string;
  labelsPath: string;
}

export class BenchmarkError extends Error {
  override name = "BenchmarkError";
}

export async function loadBenchmark(dir: string): Promise<Benchmark> {
  const abs = path.resolve(dir);
  const manifestPath = path.join(abs, BENCHMARK_LAYOUT.manifest);
  let text: string;
  try {
    text = await readFile(manifestPath, "utf8");
  } catch {
    throw new BenchmarkError(`${manifestPath}: not found; expected a benchmark made by \`course-runner benchmark create\``);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new BenchmarkError(`${manifestPath}: invalid JSON (${(e as Error).message})`);
  }
  const parsed = BenchmarkManifestSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new BenchmarkError(
      `${manifestPath}: field ${first?.path.join(".") || "(root)"}: ${first?.message ?? "invalid"}`,
    );
  }
  const bench: Benchmark = {
    dir: abs,
    manifest: parsed.data,
    trainDir: path.join(abs, BENCHMARK_LAYOUT.train),
    validDir: path.join(abs, BENCHMARK_LAYOUT.valid),
    testDir: path.join(abs, BENCHMARK_LAYOUT.test),
    labelsPath: path.join(abs, BENCHMARK_LAYOUT.labels),
  };
  for (const d of [bench.trainDir, bench.testDir]) {
    const s = await stat(d).catch(() => null);
    if (!s?.isDirectory()) throw new BenchmarkError(`${d}: missing benchmark folder`);
  }
  return bench;
}

/** Reads `hidden/labels.csv` (`id,label`, 1 = dog) into id -> label. */
export async function readLabels(labelsPath: string): Promise<Map<number, 0 | 1>> {
  const text = await readFile(labelsPath, "utf8");
  return parseLabelsCsv(text, labelsPath);
}

export function parseLabelsCsv(text: string, where = "labels.csv"): Map<number, 0 | 1> {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  if (lines[0] !== "id,label") throw new BenchmarkError(`${where}:1: expected header "id,label"`);
  const labels = new Map<number, 0 | 1>();
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (line === undefined || line === "") continue;
    const m = /^(\d+),([01])$/.exec(line);
    if (!m) throw new BenchmarkError(`${where}:${i + 1}: expected "<id>,<0|1>", got ${JSON.stringify(line)}`);
    labels.set(Number(m[1]), m[2] === "1" ? 1 : 0);
  }
  return labels;
}

export function sha256Hex(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}
