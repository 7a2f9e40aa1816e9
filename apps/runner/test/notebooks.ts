/** Small notebooks for the tests, in nbformat 4 with JavaScript cells (run by test/fixtures/mini-executor.mjs). */
export function notebook(...cells: string[]): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "typescript", display_name: "TypeScript", language: "typescript" } },
    cells: cells.map((source) => ({ cell_type: "code", execution_count: null, metadata: {}, outputs: [], source })),
  });
}

/** Predicts P(dog) = p for every test image found in $COURSE_DATA_DIR/test. */
export function constantSubmission(p: number): string {
  return notebook(
    `const data = process.env.COURSE_DATA_DIR;
console.log("data: " + fs.readdirSync(data).sort().join(","));
const ids = fs.readdirSync(path.join(data, "test")).map((f) => parseInt(f));
console.log("found " + ids.length + " test images");`,
    `const ids = fs.readdirSync(path.join(process.env.COURSE_DATA_DIR, "test")).map((f) => parseInt(f));
fs.writeFileSync("submission.csv", "id,label\\n" + ids.map((id) => id + ",${p}").join("\\n") + "\\n");
console.log("wrote submission.csv");`,
  );
}
