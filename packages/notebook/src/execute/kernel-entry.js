// Entry of the kernel child process: TypeScript support for the kernel itself and for notebook
// imports of .ts files (workspace packages such as @course/training), then the kernel.
import { register } from "tsx/esm/api";

register();
await import("./kernel.ts");
