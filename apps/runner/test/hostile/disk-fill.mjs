// Fills the work directory with many medium files (each under the file size limit).
import { writeFileSync } from "node:fs";
const chunk = Buffer.alloc(4 * 1024 * 1024, 1);
for (let i = 0; i < 500; i++) {
  writeFileSync(`/work/fill-${i}.bin`, chunk);
  await new Promise((r) => setTimeout(r, 20));
}
console.log("filled 2 GB");
