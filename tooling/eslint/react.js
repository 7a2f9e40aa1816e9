// React: the rules of hooks, and effects that list what they read.
import reactHooks from "eslint-plugin-react-hooks";

export const react = [
  {
    files: ["**/*.{ts,tsx,js,jsx}"],
    plugins: { "react-hooks": reactHooks },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "error",
    },
  },
];

export default react;
