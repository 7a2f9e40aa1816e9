// Writes a 10 GB file in the work directory.
import { openSync, writeSync } from "node:fs";
const fd = openSync("/work/big.bin", "w");
const chunk = Buffer.alloc(1024 * 1024, 7);
for (let i = 0; i < 10 * 1024; i++) writeSync(fd, chunk);
console.log("wrote 10 GB");
