// Response compression for server.mjs: Next's own (the `compression` package it ships), applied by our server after
// the CSP nonce is in the body, since Next's built-in compression (next.config.ts `compress`) would run before it.
export { default as compression } from "next/dist/compiled/compression/index.js";
