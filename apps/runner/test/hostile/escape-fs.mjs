// Tries to change files outside the work directory: argv[2] is a host folder (the test's canary).
import { writeFileSync, readdirSync, rmSync } from "node:fs";
const canary = process.argv[2];
const targets = [`${canary}/pwned.txt`, `${canary}/a.txt`, "/usr/pwned.txt", "/etc/pwned.txt", "/data/train/pwned.txt", "/pwned.txt"];
let changed = 0;
for (const t of targets) {
  try {
    writeFileSync(t, "pwned");
    console.log(`WROTE ${t}`);
    changed++;
  } catch (e) {
    console.log(`cannot write ${t}: ${e.code}`);
  }
}
try {
  rmSync(canary, { recursive: true });
  console.log(`REMOVED ${canary}`);
} catch (e) {
  console.log(`cannot remove ${canary}: ${e.code}`);
}
for (const d of ["/", "/etc", "/root", "/var/lib/postgresql"]) {
  try {
    console.log(`ls ${d}: ${readdirSync(d).join(" ")}`);
  } catch (e) {
    console.log(`cannot list ${d}: ${e.code}`);
  }
}
process.exit(changed > 0 ? 0 : 1);
