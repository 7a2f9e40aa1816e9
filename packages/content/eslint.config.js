import { base } from "@course/eslint-config/base";
import { packagesBoundary } from "@course/eslint-config/boundaries";
import { restrictEnv } from "@course/eslint-config/restrict-env";

export default [
  ...base,
  ...packagesBoundary,
  // The CLI's entry module: INIT_CWD (where `npm run` was started) and COURSE_CONTENT_DIR, like its arguments.
  ...restrictEnv({ envModules: ["src/cli.ts"] }),
];
