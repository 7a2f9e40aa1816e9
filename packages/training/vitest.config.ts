import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // Tests share 2 CPU cores and spawn onnxruntime workers: run files one at a time.
    fileParallelism: false,
  },
});
