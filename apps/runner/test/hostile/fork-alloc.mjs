// Starts argv[2] (default 4) children that each fill 1.5 GB of Buffers and stay alive: each one is
// under a per-process limit, together they are far over any sane per-job limit.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
if (process.argv[2] === "child") {
  const keep = [];
  for (let i = 0; i < 6; i++) {
    const b = Buffer.allocUnsafe(256 * 1024 * 1024);
    b.fill(7);
    keep.push(b);
  }
  console.log(`child ${process.pid} holds 1.5 GB`);
  const hold = () => setTimeout(() => hold(keep.length), 1000);
  hold();
} else {
  const n = Number(process.argv[2] ?? 4);
  for (let i = 0; i < n; i++) spawn(process.execPath, [fileURLToPath(import.meta.url), "child"], { stdio: "inherit" });
  setTimeout(() => {
    console.log("all children survived");
    process.exit(0);
  }, 30_000);
}
