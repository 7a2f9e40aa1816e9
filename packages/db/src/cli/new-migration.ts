import path from "node:path";
import { defaultMigrationsDir, defaultSchemaPath, findRepoRoot } from "../paths";
import { createMigration } from "../schema-engine";

const name = process.argv.slice(2).join("_");
if (!name) {
  console.error("Usage: npm run db:migration -- <name>   (e.g. npm run db:migration -- add_lesson_progress)");
  process.exit(2);
}
const root = findRepoRoot();
try {
  const file = await createMigration(name, { migrationsDir: defaultMigrationsDir(root), schemaPath: defaultSchemaPath(root) });
  if (!file) {
    console.log("The schema in prisma/schema/ matches the committed migrations: no migration needed.");
  } else {
    console.log(`Wrote ${path.relative(root, file)}. Review it, then run \`npm run db:migrate\` (npm start also applies it).`);
  }
} catch (error) {
  console.error(`Could not create the migration: ${(error as Error).message}`);
  process.exit(1);
}
