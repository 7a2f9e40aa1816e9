import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "~": path.resolve(import.meta.dirname, "src") } },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    // `server-only` throws outside React Server Components; our server modules are plain Node in tests.
    alias: { "server-only": path.resolve(import.meta.dirname, "test/support/empty.ts") },
  },
});
