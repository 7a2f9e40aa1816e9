import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Executor tests start kernel processes; the machine is shared and slow at times.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
