import path from "node:path";
import { defineConfig } from "prisma/config";

// Prisma 7's CLI wants a native schema engine, which it would download. We never use it: `prisma generate`
// runs on the bundled WASM, and migrations are applied by @course/db's own migrator. Pointing the variable at
// any existing file stops the download attempt, which fails offline.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;

export default defineConfig({
  schema: path.join("prisma", "schema"),
  migrations: { path: path.join("prisma", "migrations") },
});
