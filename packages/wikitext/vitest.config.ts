import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Property tests render hundreds of pages through the markdown pipeline; the machine is shared and slow at times.
    testTimeout: 60_000,
  },
});
