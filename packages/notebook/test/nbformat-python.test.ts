// Executed notebooks must open in Jupyter: checked with the reference validator (Debian's
// python3-nbformat), skipped with a printed reason where it is not installed.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { executeNotebook } from "../src/execute/index";
import { readNotebook, type Notebook } from "../src/index";
import { code, fixturesDir, markdown, pythonNbformatUnavailable, validateNotebookWithPython, validateWithPython } from "./helpers";

const skip = pythonNbformatUnavailable();
if (skip) console.log(`skipping python3-nbformat validation: ${skip}`);
const fixtures = readdirSync(fixturesDir).filter((f) => f.endsWith(".ipynb")).sort();

describe.skipIf(Boolean(skip))("python3-nbformat accepts", () => {
  it("the hand-written fixtures", () => {
    expect(fixtures).toHaveLength(6);
    for (const f of fixtures) expect(validateWithPython(path.join(fixturesDir, f)), f).toBe("");
  });

  for (const f of fixtures) {
    it(`${f} after execution`, async () => {
      const result = await executeNotebook(readNotebook(readFileSync(path.join(fixturesDir, f))));
      expect(result.cells.length).toBeGreaterThan(0);
      expect(validateNotebookWithPython(result.notebook)).toBe("");
    });
  }

  it("a 4.5 notebook with every kind of output, ending in an error", async () => {
    const nb: Notebook = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { kernelspec: { name: "typescript", display_name: "TypeScript", language: "typescript" }, custom: { keep: true } },
      cells: [
        { ...markdown("# All outputs"), id: "md-1" },
        { ...code('console.log("out");\nconsole.error("err");\nconsole.log("é ü ✓");'), id: "streams" },
        { ...code('display.svg("<svg xmlns=\'http://www.w3.org/2000/svg\'/>");\ndisplay.png(Buffer.from([1, 2, 3]), { width: 10, height: 5 });\ndisplay.html("<b>x</b>");\ndisplay.markdown("*y*");\ndisplay.json({ a: [1, 2] });\ndisplay.latex("$x^2$");'), id: "displays" },
        { ...code("({ nested: { list: [1, 2, 3] }, text: 'multi\\nline' })"), id: "result" },
        { ...code("const n: number = 1;\nthrow new TypeError(`bad ${n}`);"), id: "error" },
        { ...code("'not run'"), id: "after" },
      ],
    };
    const result = await executeNotebook(nb, { maxOutputBytes: 1_000_000 });
    expect(result.failure?.ename).toBe("TypeError");
    const kinds = result.notebook.cells.flatMap((c) => (c.cell_type === "code" ? c.outputs.map((o) => o.output_type) : []));
    expect(kinds).toEqual(["stream", "stream", "stream", "display_data", "display_data", "display_data", "display_data", "display_data", "display_data", "execute_result", "error"]);
    expect(validateNotebookWithPython(result.notebook)).toBe("");
  });
});
