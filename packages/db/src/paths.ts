import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const SCHEMA_MARKER = path.join("prisma", "schema", "schema.prisma");

/** The monorepo root: the nearest folder above `from` that holds `prisma/schema/schema.prisma`. */
export function findRepoRoot(from: string = process.cwd()): string {
  let dir = path.resolve(/*turbopackIgnore: true*/ from);
  for (;;) {
    if (fs.existsSync(path.join(dir, SCHEMA_MARKER))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  // Fall back to this file's location (packages/db/src -> root) for tools started elsewhere.
  const here = path.dirname(fileURLToPath(import.meta.url));
  const fromHere = path.resolve(here, "..", "..", "..");
  if (fs.existsSync(path.join(fromHere, SCHEMA_MARKER))) return fromHere;
  throw new Error(`Cannot find the project root (a folder with prisma/schema/schema.prisma) above ${from}`);
}

export function defaultMigrationsDir(root = findRepoRoot()): string {
  return path.join(root, "prisma", "migrations");
}

/** The schema folder: one `.prisma` file per feature (Prisma's multi-file schema). */
export function defaultSchemaPath(root = findRepoRoot()): string {
  return path.join(root, "prisma", "schema");
}

export function defaultDataDir(root = findRepoRoot()): string {
  return path.join(root, ".data");
}
