// Allocates 10 GB (ten 1 GB buffers, each filled so the pages are really used).
const keep = [];
for (let i = 0; i < 10; i++) {
  const b = Buffer.alloc(1024 ** 3);
  b.fill(1);
  keep.push(b);
}
console.log("allocated", keep.length, "GB");
