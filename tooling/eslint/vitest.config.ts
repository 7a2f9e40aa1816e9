import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Type-aware linting loads each workspace's TypeScript project; the machine is shared and slow at times.
    testTimeout: 120_000,
  },
});
