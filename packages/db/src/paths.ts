import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The monorepo root: the nearest folder above `from` that holds `prisma/schema.prisma`. */
export function findRepoRoot(from: string = process.cwd()): string {
  let dir = path.resolve(/*turbopackIgnore: true*/ from);
  for (;;) {
    if (fs.existsSync(path.join(dir, "prisma", "schema.prisma"))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  // Fall back to this file's location (packages/db/src -> root) for tools started elsewhere.
  const here = path.dirname(fileURLToPath(import.meta.url));
  const fromHere = path.resolve(here, "..", "..", "..");
  if (fs.existsSync(path.join(fromHere, "prisma", "schema.prisma"))) return fromHere;
  throw new Error(`Cannot find the project root (a folder with prisma/schema.prisma) above ${from}`);
}

export function defaultMigrationsDir(root = findRepoRoot()): string {
  return path.join(root, "prisma", "migrations");
}

export function defaultSchemaPath(root = findRepoRoot()): string {
  return path.join(root, "prisma", "schema.prisma");
}

export function defaultDataDir(root = findRepoRoot()): string {
  return path.join(root, ".data");
}
