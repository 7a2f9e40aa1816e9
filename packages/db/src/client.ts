import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "../generated/prisma/client";
import { databaseConfigFromEnv, describeDatabase, type DatabaseConfig } from "./config";
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
  migrate(migrationsDir?: string, log?: (line: string) => void): Promise<MigrationResult>;
  /**
   * LISTENs on `channel`: `onMessage` gets the payload of every NOTIFY on it, from any process (PostgreSQL: on a
   * connection of its own, opened again when it drops; then `onMessage(null)` says messages may have been missed).
   * Resolves once listening, with a function that stops.
   */
  listen(channel: string, onMessage: (payload: string | null) => void): Promise<() => Promise<void>>;
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
  const listen = async (channel: string, onMessage: (payload: string | null) => void) => {
    const stop = await client.listen(channel, (payload) => onMessage(payload));
    return async () => {
      if (!client.closed) await stop();
    };
  };
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
  return database(config, prisma, withSql, (channel, onMessage) => listenPostgres(config.url, channel, onMessage), () => pool.end());
}

/** A connection of its own that LISTENs, opened again a second after it drops (the pool's connections come and go). */
async function listenPostgres(url: string, channel: string, onMessage: (payload: string | null) => void): Promise<() => Promise<void>> {
  let stopped = false;
  let client: pg.Client | null = null;
  let retry: NodeJS.Timeout | null = null;
  const reconnect = () => {
    retry = setTimeout(() => {
      retry = null;
      if (!stopped) connect().then(() => onMessage(null), reconnect);
    }, 1000);
  };
  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: url });
    c.on("notification", (message) => {
      if (message.channel === channel) onMessage(message.payload ?? "");
    });
    c.on("error", () => undefined); // "end" follows, and reconnects
    c.on("end", () => {
      if (stopped || client !== c) return;
      client = null;
      reconnect();
    });
    try {
      await c.connect();
      await c.query(`LISTEN "${channel.replace(/"/g, '""')}"`);
    } catch (error) {
      await c.end().catch(() => undefined);
      throw error;
    }
    client = c;
  };
  await connect();
  return async () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    await client?.end();
  };
}

function database(
  config: DatabaseConfig,
  prisma: PrismaClient,
  withSql: Database["withSql"],
  listen: Database["listen"],
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
