// Grows the JavaScript heap until something stops it.
const keep = [];
for (;;) keep.push(new Array(1e6).fill(Math.random()));
