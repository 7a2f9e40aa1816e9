// Tries to fill host RAM through memory-backed file systems: /dev/shm, /tmp and /dev itself.
import { writeFileSync } from "node:fs";
const chunk = Buffer.alloc(4 * 1024 * 1024, 1);
for (const dir of ["/dev", "/dev/shm", "/tmp"]) {
  let written = 0;
  try {
    for (let i = 0; i < 256; i++) {
      writeFileSync(`${dir}/fill-${i}.bin`, chunk);
      written += chunk.length;
    }
    console.log(`${dir}: wrote ${written >> 20} MiB without hitting a limit`);
  } catch (e) {
    console.log(`${dir}: stopped after ${written >> 20} MiB: ${e.code}`);
  }
}
