import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { executeNotebook, type ExecuteResult, type ExecutionEvent } from "../src/execute/index";
import { joinMultiline, type Output } from "../src/index";
import { code, markdown, notebook, outputsOf, resultText, streamText, tempDir } from "./helpers";

const tsMeta = { kernelspec: { name: "typescript", display_name: "TypeScript", language: "typescript" } };

describe("executor semantics (one kernel, many cells)", () => {
  const cells = [
    markdown("# Semantics"),
    /* 1 */ code([
      "const x: number = 1;\n",
      "let { a, b: [c, ...d] } = { a: 2, b: [3, 4, 5] };\n",
      "function double(n: number): number { return n * 2; }\n",
      "class Counter { count = 0; inc(): number { return ++this.count; } }\n",
      "x + a + c",
    ]),
    /* 2 */ code("const x = 10; // declared again, like re-running a cell\n[x, a, c, d, double(x), new Counter().inc()]"),
    /* 3 */ code("let count = 0;\nfunction bump() { count++; return count; }\nbump();\nbump();"),
    /* 4 */ code("count = 5;\n[bump(), count]"),
    /* 5 */ code("const v = await new Promise<number>((resolve) => setTimeout(() => resolve(7), 20));\nv * 6"),
    /* 6 */ code('import { z } from "zod";\nimport * as zodNs from "zod";\nconst schema = z.object({ n: z.number() });\nschema.parse({ n: 1 })'),
    /* 7 */ code("[z.string().safeParse(5).success, typeof zodNs.z.object]"),
    /* 8 */ code('const nodePath = await import("node:path");\nconst zodDynamic = await import("zod");\n[nodePath.basename("/a/b.txt"), typeof zodDynamic.z.object]'),
    /* 9 */ code('console.log("out 1");\nconsole.error("err 1");\nprocess.stdout.write("out 2\\n");\nprocess.stdout.write("out 3\\n");\nconsole.warn("err 2");\nconsole.log("out 4");'),
    /* 10 */ code([
      'display.svg(\'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>\');\n',
      "display.png(Buffer.from([137, 80, 78, 71]), { width: 4 });\n",
      'display.html("<b>bold</b>");\n',
      'display.markdown("# Title");\n',
      'display({ _repr_html_() { return "<i>custom</i>"; }, toString() { return "custom"; } });',
    ]),
    /* 11 */ code("let nothing: undefined = undefined;\nnothing"),
    /* 12 */ code('"text"'),
    /* 13 */ code("enum Color { Red, Green }\ninterface P { x: number }\nconst p: P = { x: Color.Green };\np"),
    /* 14 */ code("   \n"),
    /* 15 */ code("export const exported = Color[1];\nexported"),
    /* 16 */ code("const { ['computed']: renamed = 'dflt', ...restObj } = { other: 1 } as Record<string, unknown>;\nconst [, second, ...others] = [1, 2, 3, 4];\n[renamed, restObj, second, others]"),
    /* 17 */ code('({ _repr_svg_: () => "<svg/>", label: "shape" })'),
    /* 18 */ code("class Counter { count = 100; inc(): number { return this.count; } }\nvar kept = 1;\nlet reset = 1;\nnew Counter().inc()"),
    /* 19 */ code("var kept;\nlet reset;\nconst process = 'shadowed';\nconsole.log('still captured');\n[kept, reset, process]"),
    /* 20 */ code("const early = helper();\nfunction helper(): number { return 1; }\nfunction useHelper() { return helper(); }\nasync function* gen() { yield early; }\nearly"),
    /* 21 */ code("function helper(): number { return 2; }\nconst collected: number[] = [];\nfor await (const v of gen()) collected.push(v);\n[useHelper(), collected]"),
  ];
  let result: ExecuteResult;
  const events: ExecutionEvent[] = [];

  beforeAll(async () => {
    result = await executeNotebook(notebook(cells, tsMeta), { onEvent: (e) => events.push(e), cellTimeoutMs: 30_000 });
  });

  const out = (i: number) => outputsOf(result.notebook, i);

  it("runs every cell", () => {
    expect(result.failure).toBeUndefined();
    expect(result.status).toBe("ok");
  });

  it("keeps top-level const/let/function/class and destructured names across cells; const may be declared again", () => {
    expect(resultText(out(1))).toBe("6");
    expect(resultText(out(2))).toBe("[ 10, 2, 3, [ 4, 5 ], 20, 1 ]");
  });

  it("functions see later assignments to top-level variables (one shared binding)", () => {
    expect(resultText(out(3))).toBe("2");
    expect(resultText(out(4))).toBe("[ 6, 6 ]");
  });

  it("supports top-level await", () => {
    expect(resultText(out(5))).toBe("42");
  });

  it("imports zod statically and dynamically, bindings visible in later cells", () => {
    expect(resultText(out(6))).toBe("{ n: 1 }");
    expect(resultText(out(7))).toBe("[ false, 'function' ]");
    expect(resultText(out(8))).toBe("[ 'b.txt', 'function' ]");
  });

  it("records stdout and stderr interleaved in order, merging consecutive chunks", () => {
    const streams = out(9).map((o) => (o.output_type === "stream" ? [o.name, joinMultiline(o.text)] : [o.output_type]));
    expect(streams).toEqual([
      ["stdout", "out 1\n"],
      ["stderr", "err 1\n"],
      ["stdout", "out 2\nout 3\n"],
      ["stderr", "err 2\n"],
      ["stdout", "out 4\n"],
    ]);
    const first = out(9)[2];
    expect(first?.output_type === "stream" && first.text).toEqual(["out 2\n", "out 3\n"]);
  });

  it("display() and display.svg/png/html/markdown produce display_data", () => {
    const displays = out(10).filter((o): o is Extract<Output, { output_type: "display_data" }> => o.output_type === "display_data");
    expect(displays).toHaveLength(5);
    const [svg, png, html, md, custom] = displays;
    expect(joinMultiline(svg?.data["image/svg+xml"] as string[])).toContain("<svg");
    expect(png?.data["image/png"]).toBe(Buffer.from([137, 80, 78, 71]).toString("base64"));
    expect(png?.metadata).toEqual({ "image/png": { width: 4 } });
    expect(joinMultiline(html?.data["text/html"] as string[])).toBe("<b>bold</b>");
    expect(joinMultiline(md?.data["text/markdown"] as string[])).toBe("# Title");
    expect(joinMultiline(custom?.data["text/html"] as string[])).toBe("<i>custom</i>");
    expect(custom?.data["text/plain"]).toBeDefined();
    expect(out(10).some((o) => o.output_type === "execute_result")).toBe(false);
  });

  it("undefined gives no execute_result; values use util.inspect reprs", () => {
    expect(out(11)).toEqual([]);
    expect(resultText(out(12))).toBe("'text'");
    expect(resultText(out(13))).toBe("{ x: 1 }");
    expect(resultText(out(15))).toBe("'Green'");
    expect(resultText(out(16))).toBe("[ 'dflt', { other: 1 }, 2, [ 3, 4 ] ]");
  });

  it("a class can be declared again; var without a value keeps, let without a value resets", () => {
    expect(resultText(out(18))).toBe("100");
    expect(streamText(out(19), "stdout")).toBe("still captured\n");
    expect(resultText(out(19))).toBe("[ 1, undefined, 'shadowed' ]");
  });

  it("functions are hoisted, and redefining one in a later cell updates callers from earlier cells", () => {
    expect(resultText(out(20))).toBe("1");
    expect(resultText(out(21))).toBe("[ 2, [ 1 ] ]");
  });

  it("a final value with a repr protocol becomes a rich execute_result", () => {
    const res = out(17).find((o) => o.output_type === "execute_result");
    expect(res?.output_type === "execute_result" && joinMultiline(res.data["image/svg+xml"] as string[])).toBe("<svg/>");
  });

  it("numbers executed cells from 1, skips blank cells, leaves markdown alone", () => {
    const counts = result.notebook.cells.map((c) => (c.cell_type === "code" ? c.execution_count : "md"));
    expect(counts).toEqual(["md", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, null, 14, 15, 16, 17, 18, 19, 20]);
    expect(result.notebook.cells[0]).toEqual(cells[0]);
    const res = out(1).find((o) => o.output_type === "execute_result");
    expect(res?.output_type === "execute_result" && res.execution_count).toBe(1);
  });

  it("reports per-cell timings and progress events in order", () => {
    expect(result.cells.map((c) => c.index)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15, 16, 17, 18, 19, 20, 21]);
    expect(result.cells.every((c) => c.durationMs >= 0 && c.status === "ok")).toBe(true);
    expect(events[0]).toEqual({ event: "start", cells: 22, codeCells: 21, language: "typescript" });
    expect(events.at(-1)).toMatchObject({ event: "done", status: "ok", cellsRun: 20 });
    const starts = events.filter((e) => e.event === "cell-start");
    expect(starts[0]).toEqual({ event: "cell-start", index: 1, count: 22, executionCount: 1 });
    // Each cell-start is followed (eventually) by its cell-end before the next cell starts.
    const sequence = events.filter((e) => e.event === "cell-start" || e.event === "cell-end").map((e) => `${e.event}:${"index" in e ? e.index : ""}`);
    expect(sequence.slice(0, 4)).toEqual(["cell-start:1", "cell-end:1", "cell-start:2", "cell-end:2"]);
    const streamEvents = events.filter((e) => e.event === "stream" && e.index === 9).map((e) => (e.event === "stream" ? e.name : ""));
    expect(streamEvents).toEqual(["stdout", "stderr", "stdout", "stdout", "stderr", "stdout"]);
    expect(events.filter((e) => e.event === "display").length).toBe(5);
  });

  it("does not change the input notebook", () => {
    expect(cells[1]).toMatchObject({ outputs: [], execution_count: null });
  });
});

describe("errors and tracebacks", () => {
  it("points at the cell's own lines and columns for TypeScript with annotations, and stops there", async () => {
    const nb = notebook([
      code("function fail(msg: string): never {\n  throw new RangeError(msg);\n}"),
      code([
        "interface Box<T> { value: T }\n",
        "const unused: Array<Map<string, number>> = [];\n",
        "function open<T>(box: Box<T> | undefined): T {\n",
        "  if (box === undefined) fail(`empty box: ${unused.length}`);\n",
        "  return box.value;\n",
        "}\n",
        "open<number>(undefined as Box<number> | undefined);",
      ]),
      code("console.log('never runs')", { execution_count: 7, outputs: [{ output_type: "stream", name: "stdout", text: "old\n" }] }),
    ]);
    const events: ExecutionEvent[] = [];
    const result = await executeNotebook(nb, { onEvent: (e) => events.push(e) });
    expect(result.status).toBe("error");
    expect(result.failure).toEqual({ index: 1, reason: "exception", ename: "RangeError", evalue: "empty box: 0" });
    const error = outputsOf(result.notebook, 1)[0];
    if (error?.output_type !== "error") throw new Error("expected an error output");
    expect(error.ename).toBe("RangeError");
    expect(error.traceback[0]).toBe("RangeError: empty box: 0");
    expect(error.traceback[1]).toBe("    at fail (Cell In[1], line 2, column 9)");
    expect(error.traceback[2]).toBe("    at open (Cell In[2], line 4, column 26)");
    expect(error.traceback[3]).toBe("    at Cell In[2], line 7, column 1");
    expect(error.traceback.slice(4)).toEqual(["", "Cell In[1], line 2", "      1 function fail(msg: string): never {", "----> 2   throw new RangeError(msg);", "      3 }"]);
    expect(error.traceback.join("\n")).not.toMatch(/kernel|node:internal/);
    // Later cells keep no outputs, like nbconvert.
    expect(result.notebook.cells[2]).toMatchObject({ outputs: [], execution_count: null });
    expect(events.filter((e) => e.event === "cell-start")).toHaveLength(2);
    expect(events.find((e) => e.event === "error")).toMatchObject({ index: 1, reason: "exception", ename: "RangeError" });
  });

  it("syntax errors name the cell line and column", async () => {
    const result = await executeNotebook(notebook([code("const ok = 1;"), code("const a: number = 1;\nconst = 5;")]));
    expect(result.failure).toMatchObject({ index: 1, reason: "syntax-error", ename: "SyntaxError" });
    const error = outputsOf(result.notebook, 1)[0];
    if (error?.output_type !== "error") throw new Error("expected an error output");
    expect(error.traceback.join("\n")).toContain("Cell In[2], line 2, column 7");
    expect(error.traceback).toContain("----> 2 const = 5;");
  });

  it("a thrown non-Error value, an async error and process.exit are reported", async () => {
    const thrown = await executeNotebook(notebook([code('throw "plain string";')]));
    expect(thrown.failure).toMatchObject({ ename: "Uncaught", evalue: "'plain string'" });

    const later = await executeNotebook(notebook([code('setTimeout(() => { throw new Error("in a timer"); }, 10);\nawait new Promise((r) => setTimeout(r, 500));\n"not reached"')]));
    expect(later.failure).toMatchObject({ index: 0, reason: "exception", ename: "Error", evalue: "in a timer" });
    const err = outputsOf(later.notebook, 0)[0];
    expect(err?.output_type === "error" && err.traceback[1]).toBe("    at Timeout._onTimeout (Cell In[1], line 1, column 26)");

    const exited = await executeNotebook(notebook([code("console.log('bye');\nprocess.exit(3);")]));
    expect(exited.failure).toMatchObject({ reason: "kernel-died", ename: "KernelDied" });
    expect(exited.failure?.evalue).toContain("exit code 3");
  });

  it("refuses notebooks in other languages", async () => {
    const result = await executeNotebook(notebook([code("print(1)")], { kernelspec: { name: "python3", display_name: "Python 3", language: "python" } }));
    expect(result.failure).toMatchObject({ reason: "unsupported-language", index: null });
    expect(result.cells).toEqual([]);
  });
});

describe("limits", () => {
  it("stops a synchronous infinite loop at the cell time limit", async () => {
    const started = Date.now();
    const result = await executeNotebook(notebook([code("let i = 0;\nwhile (true) { i++; }"), code("'after'")]), { cellTimeoutMs: 1000 });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(result.status).toBe("timeout");
    expect(result.failure).toMatchObject({ index: 0, reason: "cell-timeout", ename: "TimeoutError" });
    expect(result.failure?.evalue).toContain("cell time limit of 1s");
    expect(result.cells[0]?.durationMs).toBeGreaterThanOrEqual(1000);
    expect(result.notebook.cells[1]).toMatchObject({ execution_count: null, outputs: [] });
  });

  it("stops a never-resolving promise at the cell time limit, keeping the output so far", async () => {
    const result = await executeNotebook(notebook([code("console.log('waiting');\nawait new Promise(() => {});")]), { cellTimeoutMs: 800 });
    expect(result.failure).toMatchObject({ index: 0, reason: "cell-timeout" });
    const outputs = outputsOf(result.notebook, 0);
    expect(streamText(outputs, "stdout")).toBe("waiting\n");
    expect(outputs.at(-1)?.output_type).toBe("error");
  });

  it("stops at the whole-notebook time limit", async () => {
    const result = await executeNotebook(notebook([code("await new Promise((r) => setTimeout(r, 300));"), code("await new Promise((r) => setTimeout(r, 60_000));")]), { timeoutMs: 2500, cellTimeoutMs: 50_000 });
    expect(result.status).toBe("timeout");
    expect(result.failure).toMatchObject({ index: 1, reason: "notebook-timeout" });
    expect(result.durationMs).toBeLessThan(10_000);
  });

  it("a heap limit turns running out of memory into a KernelDied error", async () => {
    const result = await executeNotebook(notebook([code("const keep: number[][] = [];\nwhile (true) keep.push(new Array(1e6).fill(1));")]), { maxMemoryMb: 64, cellTimeoutMs: 30_000 });
    expect(result.failure).toMatchObject({ index: 0, reason: "kernel-died", ename: "KernelDied" });
    expect(outputsOf(result.notebook, 0).at(-1)?.output_type).toBe("error");
  });

  it("sends heartbeat events while a long cell runs", async () => {
    const events: ExecutionEvent[] = [];
    await executeNotebook(notebook([code("await new Promise((r) => setTimeout(r, 700));")]), { heartbeatMs: 200, onEvent: (e) => events.push(e) });
    const beats = events.filter((e) => e.event === "heartbeat");
    expect(beats.length).toBeGreaterThanOrEqual(2);
    expect(beats[0]).toMatchObject({ event: "heartbeat", index: 0 });
    expect(beats.every((b) => b.event === "heartbeat" && b.elapsedMs >= 150)).toBe(true);
  });

  it("with outputLimit: truncate, caps output size with a note where it was cut, and keeps running", async () => {
    const events: ExecutionEvent[] = [];
    const result = await executeNotebook(
      notebook([code("for (let i = 0; i < 200; i++) console.log(`line ${i} `.padEnd(49, '.'));"), code("console.log('more'); display.html('<p>x</p>'); 41 + 1")]),
      { maxOutputBytes: 1000, outputLimit: "truncate", onEvent: (e) => events.push(e) },
    );
    expect(result.status).toBe("ok");
    expect(result.outputTruncated).toBe(true);
    const text = streamText(outputsOf(result.notebook, 0), "stdout");
    expect(text.startsWith("line 0 ..")).toBe(true);
    expect(text).toContain("[output truncated: the notebook's outputs reached the limit of 1000 bytes");
    const kept = text.slice(0, text.indexOf("\n[output truncated"));
    expect(Buffer.byteLength(kept)).toBeLessThanOrEqual(1000);
    expect(Buffer.byteLength(kept)).toBeGreaterThan(900);
    expect(outputsOf(result.notebook, 1)).toEqual([]);
    expect(result.notebook.cells[1]).toMatchObject({ execution_count: 2 });
    expect(events.filter((e) => e.event === "output-truncated")).toEqual([{ event: "output-truncated", index: 0, limitBytes: 1000 }]);
  });
});

describe("output limit (default: the notebook fails)", () => {
  it("stops a notebook printing 1 GB in a loop within seconds: output-limit, bounded outputs, later cells not run", async () => {
    const events: ExecutionEvent[] = [];
    const t0 = Date.now();
    const result = await executeNotebook(
      notebook([
        code("const line = 'x'.repeat(1023);\nfor (let i = 0; i < 1024 * 1024; i++) console.log(line);\n'printed 1 GB'"),
        code("console.log('second cell ran')"),
      ]),
      { maxOutputBytes: 1 << 20, onEvent: (e) => events.push(e) },
    );
    expect(Date.now() - t0).toBeLessThan(30_000);
    expect(result.status).toBe("error");
    expect(result.outputTruncated).toBe(true);
    expect(result.failure).toMatchObject({ index: 0, reason: "output-limit", ename: "OutputLimitExceeded" });
    expect(result.failure?.evalue).toContain("exceeded the limit of 1048576 bytes (1 MiB)");
    const outputs = outputsOf(result.notebook, 0);
    const text = streamText(outputs, "stdout");
    expect(text).toContain("[output truncated: the notebook's outputs reached the limit of 1048576 bytes");
    expect(outputs.at(-1)).toMatchObject({ output_type: "error", ename: "OutputLimitExceeded" });
    expect(JSON.stringify(outputs)).not.toContain("printed 1 GB");
    // The executed notebook stays near the cap.
    expect(Buffer.byteLength(JSON.stringify(result.notebook))).toBeLessThan(1.5 * (1 << 20));
    expect(outputsOf(result.notebook, 1)).toEqual([]);
    expect(result.cells.map((c) => c.status)).toEqual(["error"]);
    const reasons = events.filter((e) => e.event === "error").map((e) => (e.event === "error" ? e.reason : null));
    expect(reasons).toEqual(["output-limit"]);
  });

  it("counts late output after the last cell too", async () => {
    const result = await executeNotebook(notebook([code("setTimeout(() => { for (let i = 0; i < 100; i++) console.log('late '.repeat(20)); }, 50);")]), {
      maxOutputBytes: 1000,
    });
    expect(result.status).toBe("error");
    expect(result.failure).toMatchObject({ index: 0, reason: "output-limit" });
    expect(outputsOf(result.notebook, 0).at(-1)).toMatchObject({ output_type: "error", ename: "OutputLimitExceeded" });
  });
});

describe("working directory, imports and late output", () => {
  it("runs in cwd, imports local files, TypeScript workspace-style packages and packages from cwd/node_modules, drains late output", async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, "helper.mjs"), "export const greet = (n) => `hi ${n}`;\n");
    // Like a workspace package (@course/training): "type": "module" and TypeScript sources.
    const ws = path.join(dir, "node_modules", "@course", "fake-training");
    mkdirSync(path.join(ws, "src"), { recursive: true });
    writeFileSync(path.join(ws, "package.json"), JSON.stringify({ name: "@course/fake-training", type: "module", exports: { ".": "./src/index.ts" } }));
    writeFileSync(path.join(ws, "src", "index.ts"), "export function square(n: number): number { return n * n; }\n");
    const pkg = path.join(dir, "node_modules", "@local", "thing");
    mkdirSync(path.join(pkg, "dist"), { recursive: true });
    writeFileSync(path.join(pkg, "package.json"), JSON.stringify({ name: "@local/thing", type: "module", exports: { ".": { import: "./dist/index.js" }, "./extra": "./dist/extra.js" } }));
    writeFileSync(path.join(pkg, "dist", "index.js"), "export default { kind: 'thing' };\n");
    writeFileSync(path.join(pkg, "dist", "extra.js"), "export const extra = 'extra';\n");
    const result = await executeNotebook(
      notebook([
        code('import { greet } from "./helper.mjs";\nimport { square } from "@course/fake-training";\nimport thing from "@local/thing";\nimport { extra } from "@local/thing/extra";\n[greet("x"), square(3), thing.kind, extra, process.cwd()]'),
        code('import { writeFileSync } from "node:fs";\nwriteFileSync("submission.csv", "id,label\\n1,0.9\\n");\nsetTimeout(() => console.log("late"), 100);'),
      ]),
      { cwd: dir },
    );
    expect(result.failure).toBeUndefined();
    expect(resultText(outputsOf(result.notebook, 0))).toBe(`[ 'hi x', 9, 'thing', 'extra', '${dir}' ]`);
    expect(readFileSync(path.join(dir, "submission.csv"), "utf8")).toBe("id,label\n1,0.9\n");
    expect(streamText(outputsOf(result.notebook, 1), "stdout")).toBe("late\n");
  });

  it("resolves packages beside the executor from any cwd, and says which package is missing", async () => {
    const result = await executeNotebook(notebook([code('import { z } from "zod";\nz.number().parse(3)'), code('import x from "no-such-package-here";')]), { cwd: tempDir() });
    expect(resultText(outputsOf(result.notebook, 0))).toBe("3");
    expect(result.failure).toMatchObject({ index: 1, ename: "Error" });
    expect(result.failure?.evalue).toMatch(/Cannot find package 'no-such-package-here'/);
  });

  it("runs JavaScript notebooks", async () => {
    const result = await executeNotebook(notebook([code("const o = { a: 1 };"), code("o.a + 1")], { kernelspec: { name: "javascript", display_name: "JavaScript", language: "javascript" } }));
    expect(result.status).toBe("ok");
    expect(resultText(outputsOf(result.notebook, 1))).toBe("2");
  });
});
