// Fills Buffers up to 8 GB, 64 MB at a time, touching every page (like a notebook caching images).
const keep = [];
for (let i = 0; i < 128; i++) {
  const b = Buffer.allocUnsafe(64 * 1024 * 1024);
  b.fill(i & 0xff);
  keep.push(b);
  if (i % 16 === 15) console.log(`filled ${(i + 1) * 64} MB`);
}
console.log("filled 8 GB");
