import { base } from "@course/eslint-config/base";
import { webComponentsBoundary } from "@course/eslint-config/boundaries";
import { nextjs } from "@course/eslint-config/nextjs";
import { react } from "@course/eslint-config/react";
import { restrictEnv } from "@course/eslint-config/restrict-env";

export default [
  ...base,
  ...react,
  ...nextjs,
  ...webComponentsBoundary,
  ...restrictEnv({
    envModules: [
      "src/env.ts",
      // The production server and the page cache handler are plain JavaScript that Node loads without a build
      // step, so they cannot import src/env.ts; they read PORT, TRUSTED_PROXY_HOPS and COURSE_CONTENT_DIR themselves.
      "server.mjs",
      "cache-handler.mjs",
    ],
  }),
];
