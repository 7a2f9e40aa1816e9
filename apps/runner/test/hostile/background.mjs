// Leaves a detached process behind (marker in its argv) and exits successfully.
import { spawn } from "node:child_process";
const marker = process.argv[2];
const c = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)", marker], { detached: true, stdio: "ignore" });
c.unref();
console.log(`left pid ${c.pid} running with marker ${marker}`);
