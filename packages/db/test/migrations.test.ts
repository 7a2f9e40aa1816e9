import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../src/client";
import { readMigrations } from "../src/migrations";
import { defaultMigrationsDir } from "../src/paths";
import { testBackends } from "../src/testing";

for (const backend of testBackends()) {
  describe(`migrations on ${backend.name}`, () => {
    let db: Database;
    let dispose: () => Promise<void>;
    beforeAll(async () => {
      ({ db, dispose } = await backend.create());
    });
    afterAll(() => dispose());

    it("applies every committed migration and records it like Prisma Migrate", async () => {
      const names = await db.withSql((sql) =>
        sql.query<{ migration_name: string }>(`SELECT migration_name FROM "_prisma_migrations" ORDER BY migration_name`),
      );
      expect(names.map((r) => r.migration_name)).toEqual(readMigrations(defaultMigrationsDir()).map((m) => m.name));
    });

    it("is idempotent: a second run applies nothing", async () => {
      const again = await db.migrate();
      expect(again.applied).toEqual([]);
      expect(again.alreadyApplied).toBe(readMigrations(defaultMigrationsDir()).length);
    });

    it("serves Prisma queries on the migrated schema", async () => {
      const user = await db.prisma.user.create({ data: { email: "ada@example.com" } });
      expect(user.role).toBe("student");
      await expect(db.prisma.user.create({ data: { email: "ada@example.com" } })).rejects.toThrow();
    });

    it("refuses a migration that was edited after it was applied", async () => {
      const copy = fs.mkdtempSync(path.join(os.tmpdir(), "migrations-"));
      fs.cpSync(defaultMigrationsDir(), copy, { recursive: true });
      const first = readMigrations(copy)[0]!;
      fs.appendFileSync(path.join(copy, first.name, "migration.sql"), "\n-- edited\n");
      await expect(db.migrate(copy)).rejects.toThrow(/was changed after it was applied/);
      fs.rmSync(copy, { recursive: true });
    });

    it("rolls back a failing migration and names it", async () => {
      const copy = fs.mkdtempSync(path.join(os.tmpdir(), "migrations-"));
      fs.cpSync(defaultMigrationsDir(), copy, { recursive: true });
      const bad = path.join(copy, "29991231000000_broken");
      fs.mkdirSync(bad);
      fs.writeFileSync(path.join(bad, "migration.sql"), `CREATE TABLE "Half" (id int);\nSELECT * FROM "NoSuchTable";`);
      await expect(db.migrate(copy)).rejects.toThrow(/29991231000000_broken failed/);
      const tables = await db.withSql((sql) =>
        sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'Half'`),
      );
      expect(tables[0]?.n).toBe(0);
      fs.rmSync(copy, { recursive: true });
    });
  });
}
