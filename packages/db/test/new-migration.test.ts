import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { defaultMigrationsDir, defaultSchemaPath } from "../src/paths";
import { createMigration, diffMigrationsToSchema } from "../src/schema-engine";

describe("creating migrations offline (WASM schema engine)", () => {
  it("finds nothing to do when the schema matches the committed migrations", async () => {
    expect(await diffMigrationsToSchema(defaultMigrationsDir(), defaultSchemaPath())).toBe("");
  });

  it("writes a timestamped migration for a new feature's schema file", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "new-migration-"));
    const migrationsDir = path.join(dir, "migrations");
    fs.cpSync(defaultMigrationsDir(), migrationsDir, { recursive: true });
    const schemaPath = path.join(dir, "schema");
    fs.cpSync(defaultSchemaPath(), schemaPath, { recursive: true });
    fs.writeFileSync(path.join(schemaPath, "badges.prisma"), `model Badge {\n  id    Int    @id @default(autoincrement())\n  label String\n}\n`);
    const file = await createMigration("Add badges!", { migrationsDir, schemaPath, now: new Date("2030-01-02T03:04:05Z") });
    expect(file).toBe(path.join(migrationsDir, "20300102030405_add_badges", "migration.sql"));
    const sql = fs.readFileSync(file!, "utf8");
    expect(sql).toContain('CREATE TABLE "Badge"');
    expect(sql).not.toContain('CREATE TABLE "User"');
    fs.rmSync(dir, { recursive: true });
  });

  it("rejects a name with nothing usable in it", async () => {
    await expect(createMigration("!!!", { migrationsDir: defaultMigrationsDir(), schemaPath: defaultSchemaPath() })).rejects.toThrow(/no letters or digits/);
  });
});
