import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { openDatabase, type Database } from "./client";
import type { DatabaseConfig } from "./config";

export interface TestBackend {
  name: "pglite" | "postgresql";
  /** A fresh, migrated, empty database; closed and removed by the returned `dispose`. */
  create(): Promise<{ db: Database; config: DatabaseConfig; dispose: () => Promise<void> }>;
}

const pgliteBackend: TestBackend = {
  name: "pglite",
  async create() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "course-db-"));
    const config: DatabaseConfig = { kind: "pglite", dataDir: path.join(dir, "pglite") };
    const db = await openDatabase(config, { migrate: true });
    return {
      db,
      config,
      async dispose() {
        await db.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

function postgresBackend(adminUrl: string): TestBackend {
  return {
    name: "postgresql",
    async create() {
      const name = `course_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`CREATE DATABASE "${name}"`);
      await admin.end();
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      const config: DatabaseConfig = { kind: "postgresql", url: url.toString() };
      const db = await openDatabase(config, { migrate: true });
      return {
        db,
        config,
        async dispose() {
          await db.close();
          const cleanup = new pg.Client({ connectionString: adminUrl });
          await cleanup.connect();
          // Not WITH (FORCE): killing a connection the pool is still closing makes pg emit an uncaught error.
          // Wait for the closed pool's connections to go away instead.
          for (let attempt = 0; ; attempt++) {
            try {
              await cleanup.query(`DROP DATABASE IF EXISTS "${name}"`);
              break;
            } catch (error) {
              if ((error as { code?: string }).code !== "55006" || attempt >= 50) throw error;
              await new Promise((resolve) => setTimeout(resolve, 100));
            }
          }
          await cleanup.end();
        },
      };
    },
  };
}

/** PGlite always; PostgreSQL too when TEST_DATABASE_URL is set (CI sets it). */
export function testBackends(env: Record<string, string | undefined> = process.env): TestBackend[] {
  const url = env.TEST_DATABASE_URL?.trim();
  return url ? [pgliteBackend, postgresBackend(url)] : [pgliteBackend];
}
