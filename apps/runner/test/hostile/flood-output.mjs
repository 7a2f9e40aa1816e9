// Prints 100 MB to stdout.
const line = "x".repeat(1023) + "\n";
const block = line.repeat(1024);
let written = 0;
function more() {
  while (written < 100 * 1024 * 1024) {
    written += block.length;
    if (!process.stdout.write(block)) return process.stdout.once("drain", more);
  }
}
more();
