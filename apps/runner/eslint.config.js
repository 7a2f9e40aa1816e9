import { base } from "@course/eslint-config/base";
import { runnerBoundary } from "@course/eslint-config/boundaries";
import { restrictEnv } from "@course/eslint-config/restrict-env";

export default [...base, ...runnerBoundary, ...restrictEnv({ envModules: ["src/config.ts"] })];
