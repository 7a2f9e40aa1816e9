import { base } from "@course/eslint-config/base";
import { packagesBoundary } from "@course/eslint-config/boundaries";
import { restrictEnv } from "@course/eslint-config/restrict-env";

export default [
  ...base,
  ...packagesBoundary,
  ...restrictEnv({
    envModules: [
      // The `course-train` CLI's entry module (COURSE_TRAIN_DEBUG) and the `bench:training` script (BENCH_*).
      "src/cli.ts",
      "src/bench.ts",
      // `bench:accuracy` (BENCH_*), a script like bench.ts.
      "src/benchAccuracy.ts",
      // The library's two documented knobs, read where they apply (each overridable by an argument), because
      // notebooks call the library directly and have no config object to pass: COURSE_MODEL_CACHE and
      // COURSE_MODELS_FROM (where models come from), COURSE_TRAINING_DEVICE (cpu, cuda or auto).
      "src/modelStore.ts",
      "src/select-engine.ts",
    ],
  }),
];
