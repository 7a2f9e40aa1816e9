// Next.js: the framework's recommended and Core Web Vitals rules.
import nextPlugin from "@next/eslint-plugin-next";

export const nextjs = [
  {
    files: ["**/*.{ts,tsx,js,jsx,mjs}"],
    plugins: { "@next/next": nextPlugin },
    rules: {
      ...nextPlugin.configs.recommended.rules,
      ...nextPlugin.configs["core-web-vitals"].rules,
    },
  },
];

export default nextjs;
