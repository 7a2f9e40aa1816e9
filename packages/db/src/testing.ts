import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { openDatabase, type Database } from "./client";
import type { DatabaseConfig } from "./config";
import { readMigrations, sha256 } from "./migrations";
import { defaultMigrationsDir } from "./paths";

export interface TestBackend {
  name: "pglite" | "postgresql";
  /** A fresh, migrated, empty database; closed and removed by the returned `dispose`. */
  create(): Promise<{ db: Database; config: DatabaseConfig; dispose: () => Promise<void> }>;
}

/**
 * Test databases are copies of a migrated template, made once per set of migrations (and PGlite version) and kept for
 * later runs: running every migration for each test file took seconds each, more than a minute on a busy machine.
 * The key names the template, so a new or changed migration makes a new one. Each copy still opens with `migrate`,
 * which finds nothing to apply.
 */
let key: string | undefined;
function templateKey(): string {
  if (key) return key;
  const require = createRequire(import.meta.url);
  let dir = path.dirname(require.resolve("@electric-sql/pglite"));
  while (!fs.existsSync(path.join(dir, "package.json")) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  const { version } = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { version: string };
  const migrations = readMigrations(defaultMigrationsDir()).map((m) => [m.name, m.checksum]);
  key = sha256(JSON.stringify({ pglite: version, migrations })).slice(0, 16);
  return key;
}

let pgliteTemplateDir: Promise<string> | undefined;
/** A migrated PGlite data directory in the system's temporary folder, built once and renamed into place whole. */
function pgliteTemplate(): Promise<string> {
  pgliteTemplateDir ??= (async () => {
    const ready = path.join(os.tmpdir(), `course-db-template-${templateKey()}`);
    if (!fs.existsSync(ready)) {
      const building = fs.mkdtempSync(path.join(os.tmpdir(), "course-db-template-building-"));
      const db = await openDatabase({ kind: "pglite", dataDir: path.join(building, "pglite") }, { migrate: true });
      await db.close();
      try {
        fs.renameSync(building, ready);
      } catch (error) {
        // Another test process put its template there first: use that one.
        fs.rmSync(building, { recursive: true, force: true });
        if (!fs.existsSync(ready)) throw error;
      }
    }
    return path.join(ready, "pglite");
  })();
  return pgliteTemplateDir;
}

const pgliteBackend: TestBackend = {
  name: "pglite",
  async create() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "course-db-"));
    const config: DatabaseConfig = { kind: "pglite", dataDir: path.join(dir, "pglite") };
    fs.cpSync(await pgliteTemplate(), config.dataDir, { recursive: true });
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

/** Retries `fn` while PostgreSQL says a database is still in use (55006: a closed pool's connections linger a moment). */
async function whileInUse(fn: () => Promise<unknown>): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await fn();
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== "55006" || attempt >= 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

const databaseUrl = (adminUrl: string, name: string) => {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
};

const postgresTemplates = new Map<string, Promise<string>>();
/** A migrated template database on the server (course_template_<key>), built once under another name and renamed. */
function postgresTemplate(adminUrl: string): Promise<string> {
  let template = postgresTemplates.get(adminUrl);
  if (!template) {
    template = (async () => {
      const name = `course_template_${templateKey()}`;
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      try {
        const found = await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name]);
        if (found.rowCount) return name;
        const building = `course_template_building_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
        await admin.query(`CREATE DATABASE "${building}"`);
        const db = await openDatabase({ kind: "postgresql", url: databaseUrl(adminUrl, building) }, { migrate: true });
        await db.close();
        try {
          await whileInUse(() => admin.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`));
        } catch (error) {
          // 42P04: another test process made the template first.
          await whileInUse(() => admin.query(`DROP DATABASE IF EXISTS "${building}"`));
          if ((error as { code?: string }).code !== "42P04") throw error;
        }
        return name;
      } finally {
        await admin.end();
      }
    })();
    postgresTemplates.set(adminUrl, template);
  }
  return template;
}

function postgresBackend(adminUrl: string): TestBackend {
  return {
    name: "postgresql",
    async create() {
      const template = await postgresTemplate(adminUrl);
      const name = `course_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      try {
        // 55006 here: another process is copying the template at this moment.
        await whileInUse(() => admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
      } finally {
        await admin.end();
      }
      const config: DatabaseConfig = { kind: "postgresql", url: databaseUrl(adminUrl, name) };
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
          await whileInUse(() => cleanup.query(`DROP DATABASE IF EXISTS "${name}"`));
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
