import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "~": path.resolve(import.meta.dirname, "src") } },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    // The forum's rate limits (seconds between posts...) are a site's defence, not something every test of posting
    // should wait out; the tests of the limits switch them on (test/forum-trust.test.ts). Discourse does the same.
    env: { FORUM_RATE_LIMITS: "off" },
    // `server-only` throws outside React Server Components; our server modules are plain Node in tests.
    alias: { "server-only": path.resolve(import.meta.dirname, "test/support/empty.ts") },
  },
});
