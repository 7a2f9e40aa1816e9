import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Sandbox tests spawn many processes; keep files sequential on a 2-core shared machine.
    fileParallelism: false,
  },
});
