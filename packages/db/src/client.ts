import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "../generated/prisma/client";
import { databaseConfigFromEnv, describeDatabase, type DatabaseConfig } from "./config";
import { PgListener, pgliteListen, type Listen } from "./listen";
import { lockDataDir } from "./lock";
import { applyMigrations, type MigrationResult } from "./migrations";
import { defaultMigrationsDir } from "./paths";
import { pgliteRunner, pgRunner, type SqlRunner } from "./sql";

/** Extensions every PGlite instance loads, so the migrations' `CREATE EXTENSION` works as on PostgreSQL (search). */
export const pgliteExtensions = { pg_trgm };

export interface Database {
  prisma: PrismaClient;
  config: DatabaseConfig;
  description: string;
  /** Runs `fn` with one raw connection (PGlite has only one; PostgreSQL lends one from the pool). */
  withSql<T>(fn: (sql: SqlRunner) => Promise<T>): Promise<T>;
  /**
   * Subscribes to a NOTIFY channel: `onPayload` gets each payload that a committed transaction sent with
   * `pg_notify(channel, payload)`, from any process (PostgreSQL: one dedicated LISTEN connection per Database,
   * reconnected with backoff; PGlite: in this process). Nothing is delivered for a rolled-back transaction.
   */
  listen: Listen;
  migrate(migrationsDir?: string, log?: (line: string) => void): Promise<MigrationResult>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Apply pending migrations before returning. */
  migrate?: boolean;
  migrationsDir?: string;
  log?: (line: string) => void;
}

/**
 * The one place that opens the database: embedded PGlite (default, one process per data directory, enforced
 * with a lock file) or PostgreSQL when DATABASE_URL is set. Both run the same schema and migrations.
 */
export async function openDatabase(config: DatabaseConfig = databaseConfigFromEnv(), options: OpenOptions = {}): Promise<Database> {
  const db = config.kind === "pglite" ? await openPGlite(config) : openPostgres(config);
  if (options.migrate) {
    try {
      const result = await db.migrate(options.migrationsDir, options.log);
      if (result.applied.length) options.log?.(`applied ${result.applied.length} migration(s)`);
    } catch (error) {
      await db.close();
      throw error;
    }
  }
  return db;
}

async function openPGlite(config: Extract<DatabaseConfig, { kind: "pglite" }>): Promise<Database> {
  const release = lockDataDir(config.dataDir);
  let client: PGlite;
  try {
    client = await PGlite.create(config.dataDir, { extensions: pgliteExtensions });
  } catch (error) {
    release();
    throw new Error(`Could not open the embedded database at ${config.dataDir}: ${(error as Error).message}`, { cause: error });
  }
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(client) });
  const sql = pgliteRunner(client);
  // PGlite is a single connection: serialise raw work so it never interleaves inside a migration transaction.
  let queue: Promise<unknown> = Promise.resolve();
  const withSql = <T>(fn: (sql: SqlRunner) => Promise<T>): Promise<T> => {
    const run = queue.then(() => fn(sql));
    queue = run.catch(() => undefined);
    return run;
  };
  const listen = pgliteListen(client, (line) => console.warn(`[db] ${line}`));
  return database(config, prisma, withSql, listen, async () => {
    await client.close();
    release();
  });
}

function openPostgres(config: Extract<DatabaseConfig, { kind: "postgresql" }>): Database {
  const pool = new pg.Pool({ connectionString: config.url, max: 10 });
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  const withSql = async <T>(fn: (sql: SqlRunner) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    try {
      return await fn(pgRunner(client));
    } finally {
      client.release();
    }
  };
  const listener = new PgListener(config.url);
  return database(config, prisma, withSql, listener.listen, async () => {
    await listener.close();
    await pool.end();
  });
}

function database(
  config: DatabaseConfig,
  prisma: PrismaClient,
  withSql: Database["withSql"],
  listen: Listen,
  closeDriver: () => Promise<void>,
): Database {
  return {
    prisma,
    config,
    description: describeDatabase(config),
    withSql,
    listen,
    migrate: (dir = defaultMigrationsDir(), log) => withSql((s) => applyMigrations(s, dir, log)),
    async close() {
      await prisma.$disconnect();
      await closeDriver();
    },
  };
}
