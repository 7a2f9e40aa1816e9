import "server-only";
import { openDatabase, type Database } from "@course/db";

const globalForDb = globalThis as unknown as { courseDb?: Promise<Database> };

/** The process-wide database (migrated on first use). The embedded default is owned by this process alone. */
export function getDb(): Promise<Database> {
  globalForDb.courseDb ??= openDatabase(undefined, {
    migrate: true,
    log: (line) => console.log(`[db] ${line}`),
  }).catch((error: unknown) => {
    globalForDb.courseDb = undefined;
    throw error;
  });
  return globalForDb.courseDb;
}
