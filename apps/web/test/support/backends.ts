import type { Database } from "@course/db";
import { testBackends } from "@course/db/testing";
import { afterAll, beforeAll, beforeEach, describe } from "vitest";

const emptyingStatements = new WeakMap<Database, Promise<string>>();

/**
 * Empties every table but the migrations' in one transaction. DELETE, not TRUNCATE: TRUNCATE gives every table and
 * index new files (seconds a call on PGlite, about a second on PostgreSQL, for a test that wrote a few rows); DELETE
 * of a test's few rows takes milliseconds. Triggers, foreign-key checks among them, are off for that transaction only
 * (`session_replication_role`), so the tables' order does not matter. That takes a superuser (PGlite always is; CI's
 * PostgreSQL role is); any other role gets one TRUNCATE ... CASCADE of all tables.
 */
export async function emptyDatabase(db: Database): Promise<void> {
  let statement = emptyingStatements.get(db);
  if (!statement) {
    statement = db.withSql(async (sql) => {
      const tables = (
        await sql.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`)
      ).map((t) => `"${t.name}"`);
      const [role] = await sql.query<{ superuser: boolean }>(`SELECT rolsuper AS superuser FROM pg_roles WHERE rolname = current_user`);
      return role?.superuser
        ? `BEGIN; SET LOCAL session_replication_role = replica; ${tables.map((t) => `DELETE FROM ${t};`).join(" ")} COMMIT;`
        : `TRUNCATE ${tables.join(", ")} CASCADE`;
    });
    emptyingStatements.set(db, statement);
  }
  const sqlText = await statement;
  await db.withSql(async (sql) => {
    try {
      await sql.exec(sqlText);
    } catch (error) {
      // Never hand a connection back to the pool inside a failed transaction.
      await sql.exec("ROLLBACK").catch(() => undefined);
      throw error;
    }
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
