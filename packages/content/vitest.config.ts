import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The CLI tests spawn node + tsx; on a loaded 2-core machine each run takes a few seconds.
    testTimeout: 90_000,
  },
});
