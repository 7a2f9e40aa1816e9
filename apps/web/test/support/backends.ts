import type { Database } from "@course/db";
import { testBackends } from "@course/db/testing";
import { afterAll, beforeAll, beforeEach, describe } from "vitest";

/** Empties every table but the migrations' in one statement (one TRUNCATE, not one per table). */
export async function emptyDatabase(db: Database): Promise<void> {
  await db.withSql(async (sql) => {
    const tables = await sql.query<{ name: string }>(
      `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`,
    );
    await sql.exec(`TRUNCATE ${tables.map((t) => `"${t.name}"`).join(", ")} CASCADE`);
  });
}

/**
 * Runs a describe block once per database backend with a fresh migrated database, emptied before each test.
 * `emptyBeforeEach: false` leaves emptying to the block (`emptyDatabase`), for suites that share rows across tests.
 */
export function eachBackend(body: (get: () => Database, name: string) => void, { emptyBeforeEach = true } = {}) {
  for (const backend of testBackends()) {
    describeBackend(backend.name, () => {
      let db: Database | undefined;
      let dispose: (() => Promise<void>) | undefined;
      beforeAll(async () => {
        const created = await backend.create();
        db = created.db;
        dispose = created.dispose;
      });
      afterAll(async () => dispose?.());
      if (emptyBeforeEach) beforeEach(async () => emptyDatabase(db!));
      body(() => db!, backend.name);
    });
  }
}

function describeBackend(name: string, fn: () => void) {
  describe(`on ${name}`, fn);
}
