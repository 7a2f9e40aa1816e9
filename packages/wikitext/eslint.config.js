import { base } from "@course/eslint-config/base";
import { packagesBoundary } from "@course/eslint-config/boundaries";
import { restrictEnv } from "@course/eslint-config/restrict-env";

export default [...base, ...packagesBoundary, ...restrictEnv()];
