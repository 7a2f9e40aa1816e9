import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The hostile corpus has huge and deeply nested inputs; the machine is shared and slow at times.
    testTimeout: 60_000,
  },
});
