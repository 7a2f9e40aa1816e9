import { base } from "@course/eslint-config/base";
import { packagesBoundary } from "@course/eslint-config/boundaries";
import { restrictEnv } from "@course/eslint-config/restrict-env";

export default [
  ...base,
  ...packagesBoundary,
  // config.ts: DATABASE_URL and COURSE_DATA_DIR for every app; testing.ts: TEST_DATABASE_URL for every workspace's tests.
  ...restrictEnv({ envModules: ["src/config.ts", "src/testing.ts"] }),
];
