import path from "node:path";
import { z } from "zod";
import { defaultDataDir } from "./paths";

const postgresUrl = z
  .string()
  .trim()
  .refine((value) => /^postgres(ql)?:\/\//.test(value), "must start with postgres:// or postgresql://")
  .refine((value) => URL.canParse(value), "is not a valid URL");

const databaseEnv = z.object({
  DATABASE_URL: z.preprocess((v) => (v === "" ? undefined : v), postgresUrl.optional()),
  COURSE_DATA_DIR: z.preprocess((v) => (v === "" ? undefined : v), z.string().optional()),
});

export type DatabaseConfig =
  | { kind: "pglite"; dataDir: string }
  | { kind: "postgresql"; url: string };

/** Reads DATABASE_URL / COURSE_DATA_DIR: PostgreSQL when a URL is set, else embedded PGlite in `<data dir>/pglite`. */
export function databaseConfigFromEnv(env: Record<string, string | undefined> = process.env): DatabaseConfig {
  const parsed = databaseEnv.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid database configuration: ${problems}`);
  }
  if (parsed.data.DATABASE_URL) return { kind: "postgresql", url: parsed.data.DATABASE_URL };
  const dataDir = path.resolve(parsed.data.COURSE_DATA_DIR ?? defaultDataDir());
  return { kind: "pglite", dataDir: path.join(dataDir, "pglite") };
}

export function describeDatabase(config: DatabaseConfig): string {
  if (config.kind === "pglite") return `embedded PGlite at ${config.dataDir}`;
  const url = new URL(config.url);
  return `PostgreSQL at ${url.hostname}:${url.port || "5432"}${url.pathname}`;
}
