import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { pgliteExtensions } from "./client";

// Prisma's own CLI would download a native schema engine for `migrate diff`. The same engine ships as WASM on
// npm; we load it by hand (its package entry imports a .wasm file, which Node cannot import) and give it an
// in-memory PGlite as the shadow database. Nothing touches the network or the real database.
interface WasmSchemaEngine {
  diff(params: unknown): Promise<{ exitCode: number; stdout: string | null }>;
  free(): void;
}
// @types/node 20 declares no WebAssembly global; this is the slice we use.
interface WasmInstance {
  exports: Record<string, unknown>;
}
declare const WebAssembly: {
  instantiate(bytes: Uint8Array, imports: Record<string, unknown>): Promise<{ instance: WasmInstance }>;
};
interface SchemaEngineModule {
  __wbg_set_wasm(exports: Record<string, unknown>): void;
  SchemaEngine: { new: (options: unknown, log: (message: string) => void, adapter: object) => Promise<WasmSchemaEngine> };
}

const newMemoryPGlite = () => new PGlite({ extensions: pgliteExtensions });

// The adapter opens its shadow database as a bare PGlite, on which the migrations' `CREATE EXTENSION pg_trgm` fails:
// give it one with our extensions loaded.
class ShadowWithExtensions extends PrismaPGlite {
  override connectToShadowDb() {
    return new PrismaPGlite(newMemoryPGlite()).connect();
  }
}

let enginePromise: Promise<SchemaEngineModule> | undefined;

async function loadEngineModule(): Promise<SchemaEngineModule> {
  const require = createRequire(import.meta.url);
  const pkgDir = path.dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg"));
  const bg = (await import("@prisma/schema-engine-wasm/schema_engine_bg")) as unknown as SchemaEngineModule;
  const bytes = fs.readFileSync(path.join(pkgDir, "schema_engine_bg.wasm"));
  const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": bg });
  bg.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as (() => void) | undefined)?.();
  return bg;
}

/** A schema given as one file or as a folder of `.prisma` files (Prisma's multi-file schema). */
function readSchemaFiles(schemaPath: string): { path: string; content: string }[] {
  if (!fs.statSync(schemaPath).isDirectory()) return [{ path: schemaPath, content: fs.readFileSync(schemaPath, "utf8") }];
  return fs
    .readdirSync(schemaPath)
    .filter((name) => name.endsWith(".prisma"))
    .sort()
    .map((name) => path.join(schemaPath, name))
    .map((file) => ({ path: file, content: fs.readFileSync(file, "utf8") }));
}

/** SQL that takes a database from the committed migrations to `schema`; empty when they already match. */
export async function diffMigrationsToSchema(migrationsDir: string, schemaPath: string): Promise<string> {
  enginePromise ??= loadEngineModule();
  const { SchemaEngine } = await enginePromise;
  const files = readSchemaFiles(schemaPath);
  const lockPath = path.join(migrationsDir, "migration_lock.toml");
  const migrationDirectories = fs.existsSync(migrationsDir)
    ? fs
        .readdirSync(migrationsDir, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
        .sort()
        .map((name) => ({
          path: name,
          migrationFile: {
            path: "migration.sql",
            content: { tag: "ok", value: fs.readFileSync(path.join(migrationsDir, name, "migration.sql"), "utf8") },
          },
        }))
    : [];
  const factory = bindMigrationAwareSqlAdapterFactory(new ShadowWithExtensions(newMemoryPGlite()));
  const engine = await SchemaEngine.new({ datamodels: files.map((file) => [file.path, file.content]) }, () => {}, factory);
  try {
    const result = await engine.diff({
      from: {
        tag: "migrations",
        baseDir: migrationsDir,
        lockfile: { path: lockPath, content: fs.existsSync(lockPath) ? fs.readFileSync(lockPath, "utf8") : 'provider = "postgresql"\n' },
        migrationDirectories,
        shadowDbInitScript: "",
      },
      to: { tag: "schemaDatamodel", files },
      script: true,
      exitCode: null,
      filters: { externalTables: [], externalEnums: [] },
    });
    const sql = result.stdout ?? "";
    return /^\s*(-- This is an empty migration\.)?\s*$/.test(sql) ? "" : sql;
  } finally {
    engine.free();
  }
}

/** Writes `<migrationsDir>/<timestamp>_<name>/migration.sql`; returns its path, or undefined when nothing changed. */
export async function createMigration(
  name: string,
  { migrationsDir, schemaPath, now = new Date() }: { migrationsDir: string; schemaPath: string; now?: Date },
): Promise<string | undefined> {
  const slug = name.trim().toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "");
  if (!slug) throw new Error(`Migration name "${name}" has no letters or digits; try e.g. "add_lesson_progress"`);
  const sql = await diffMigrationsToSchema(migrationsDir, schemaPath);
  if (!sql) return undefined;
  const stamp = now.toISOString().replace(/\D/g, "").slice(0, 14);
  const dir = path.join(migrationsDir, `${stamp}_${slug}`);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "migration.sql");
  fs.writeFileSync(file, sql);
  return file;
}
