import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  joinMultiline,
  NotebookFormatError,
  notebookLanguage,
  parseNotebook,
  readNotebook,
  renderNotebookText,
  splitLines,
  validateNotebook,
  writeNotebook,
  type Notebook,
} from "../src/index";
import { fixturesDir, notebook, code } from "./helpers";

const versions = ["4.0", "4.1", "4.2", "4.3", "4.4", "4.5"];
const fixture = (name: string) => readFileSync(path.join(fixturesDir, name), "utf8");

function expectFormatError(input: string | Uint8Array, options: Parameters<typeof readNotebook>[1] = {}): NotebookFormatError {
  try {
    readNotebook(input, options);
  } catch (error) {
    expect(error).toBeInstanceOf(NotebookFormatError);
    return error as NotebookFormatError;
  }
  throw new Error("expected readNotebook to throw");
}

describe("round trips of nbformat 4.0 to 4.5 fixtures", () => {
  for (const version of versions) {
    it(`reads and writes v${version} without changing its content`, () => {
      const text = fixture(`v${version}.ipynb`);
      const { notebook: nb, warnings } = parseNotebook(text);
      expect(warnings).toEqual([]);
      expect(`${nb.nbformat}.${nb.nbformat_minor}`).toBe(version);
      const written = writeNotebook(nb);
      expect(JSON.parse(written)).toEqual(JSON.parse(text));
      // Reading what we wrote gives the same notebook again (stable).
      expect(writeNotebook(readNotebook(written))).toBe(written);
      expect(written.endsWith("}\n")).toBe(true);
    });
  }

  it("keeps string and list sources in the form they had", () => {
    const v40 = readNotebook(fixture("v4.0.ipynb"));
    const v41 = readNotebook(fixture("v4.1.ipynb"));
    expect(v40.cells[1]?.source).toEqual(['console.log("hello")\n', "1 + 1"]);
    expect(v41.cells[1]?.source).toBe("const answer = 42;\nanswer");
    expect(joinMultiline(v40.cells[1]?.source ?? "")).toBe('console.log("hello")\n1 + 1');
    const again = JSON.parse(writeNotebook(v41)) as { cells: { source: unknown }[] };
    expect(again.cells[1]?.source).toBe("const answer = 42;\nanswer");
  });

  it("keeps unknown notebook and cell metadata exactly, key order included", () => {
    const nb = readNotebook(fixture("v4.0.ipynb"));
    expect(nb.metadata["zz_unknown"]).toEqual({ b: 1, a: 2 });
    expect(Object.keys(nb.metadata["zz_unknown"] as object)).toEqual(["b", "a"]);
    expect(nb.cells[1]?.metadata["custom_tool"]).toEqual({ keep: [1, 2, { deep: true }] });
    const written = writeNotebook(nb);
    expect(written.indexOf('"b": 1')).toBeLessThan(written.indexOf('"a": 2'));
  });

  it("keeps attachments, raw cells and JSON mime data", () => {
    const v41 = readNotebook(fixture("v4.1.ipynb"));
    const md = v41.cells[0];
    expect(md?.cell_type === "markdown" && md.attachments?.["dot.png"]?.["image/png"]).toMatch(/^iVBOR/);
    const v42 = readNotebook(fixture("v4.2.ipynb"));
    expect(v42.cells[0]).toMatchObject({ cell_type: "raw", metadata: { format: "text/x-rst" } });
    const v44 = readNotebook(fixture("v4.4.ipynb"));
    const out = v44.cells[0]?.cell_type === "code" ? v44.cells[0].outputs[0] : undefined;
    expect(out?.output_type === "execute_result" && out.data["application/vnd.custom+json"]).toEqual([1, "x"]);
  });

  it("can sort keys like Jupyter's writer", () => {
    const nb = readNotebook(fixture("v4.3.ipynb"));
    const sorted = writeNotebook(nb, { sortKeys: true });
    expect(sorted.indexOf('"cells"')).toBeLessThan(sorted.indexOf('"metadata"'));
    expect(JSON.parse(sorted)).toEqual(JSON.parse(fixture("v4.3.ipynb")));
  });

  it("reads bytes, with a UTF-8 byte order mark", () => {
    const bytes = new TextEncoder().encode(`\ufeff${fixture("v4.5.ipynb")}`);
    expect(readNotebook(bytes).cells).toHaveLength(3);
  });
});

describe("cell ids", () => {
  it("generates valid ids for 4.5 cells that lack them and replaces duplicates", () => {
    const nb = JSON.parse(fixture("v4.5.ipynb")) as { cells: { id?: string }[] };
    delete nb.cells[0]?.id;
    if (nb.cells[2]) nb.cells[2].id = "a1b2c3d4";
    const { notebook: read, warnings } = parseNotebook(JSON.stringify(nb));
    const ids = read.cells.map((c) => c.id);
    expect(ids[0]).toMatch(/^[0-9a-f]{8}$/);
    expect(ids[1]).toBe("a1b2c3d4");
    expect(ids[2]).toMatch(/^[0-9a-f]{8}$/);
    expect(new Set(ids).size).toBe(3);
    expect(warnings.join("\n")).toMatch(/missing cell id.*\n.*duplicate cell id "a1b2c3d4"/);
  });

  it("upgrades a 4.4 notebook that carries ids to 4.5 (nbformat would reject it)", () => {
    const nb = JSON.parse(fixture("v4.4.ipynb")) as { cells: { id?: string }[] };
    if (nb.cells[0]) nb.cells[0].id = "given";
    const { notebook: read, warnings } = parseNotebook(JSON.stringify(nb));
    expect(read.nbformat_minor).toBe(5);
    expect(read.cells[0]?.id).toBe("given");
    expect(warnings[0]).toContain("upgraded nbformat 4.4 to 4.5");
  });

  it("reports id problems instead of repairing with repair: false", () => {
    const nb = JSON.parse(fixture("v4.5.ipynb")) as { cells: { id?: string }[] };
    delete nb.cells[1]?.id;
    const error = expectFormatError(JSON.stringify(nb), { repair: false });
    expect(error.issues[0]).toMatchObject({ path: "cells[1]", message: expect.stringContaining("missing cell id") });
  });

  it("rejects ids that do not match nbformat's pattern", () => {
    const nb = JSON.parse(fixture("v4.5.ipynb")) as { cells: { id?: string }[] };
    if (nb.cells[0]) nb.cells[0].id = "has space";
    const error = expectFormatError(JSON.stringify(nb));
    expect(error.issues[0]?.path).toBe("cells[0].id");
    expect(error.message).toContain("^[a-zA-Z0-9-_]+$");
  });
});

describe("errors for what is not a valid notebook", () => {
  it("not JSON: says where", () => {
    const error = expectFormatError('{\n "cells": [],\n "metadata": {,\n}', { fileName: "hw.ipynb" });
    expect(error.code).toBe("not-json");
    expect(error.issues[0]).toMatchObject({ line: 3, column: 15 });
    expect(error.message).toMatch(/^hw\.ipynb: not valid JSON\n {2}line 3, column 15: expected a property name/);
  });

  it("not JSON: truncated file", () => {
    const error = expectFormatError(fixture("v4.0.ipynb").slice(0, 120));
    expect(error.code).toBe("not-json");
    expect(error.issues[0]?.line).toBeGreaterThan(1);
  });

  it("not UTF-8", () => {
    expect(expectFormatError(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])).code).toBe("not-utf8");
  });

  it("too large for the size cap", () => {
    const text = fixture("v4.0.ipynb");
    const error = expectFormatError(text, { maxBytes: 100 });
    expect(error.code).toBe("too-large");
    expect(error.message).toContain(`${Buffer.byteLength(text)} bytes is over the limit of 100 bytes`);
    expect(readNotebook(text, { maxBytes: Buffer.byteLength(text) }).cells).toHaveLength(2);
  });

  it("nested too deeply: refused with the limit named, before anything recursive runs", () => {
    // 200,000 levels in the metadata: V8's JSON.parse accepts it, but JSON.stringify (and so the executor, the
    // renderer, the admin page) overflows the stack on it.
    const deep = (n: number) => "[".repeat(n) + "]".repeat(n);
    const withMeta = (value: string) => {
      const nb = JSON.parse(fixture("v4.5.ipynb")) as { metadata: Record<string, unknown> };
      nb.metadata.x = "@@";
      return JSON.stringify(nb, null, 1).replace('"@@"', value);
    };
    const error = expectFormatError(withMeta(deep(200_000)), { fileName: "deep.ipynb" });
    expect(error.code).toBe("too-deep");
    expect(error.message).toMatch(/^deep\.ipynb: nested too deeply\n.*more than 128 levels deep \(the limit is 128\)/);
    expect(error.issues[0]?.line).toBeGreaterThan(1);
    expect(() => readNotebook(withMeta(deep(200_000)))).not.toThrow(RangeError);
    // Brackets inside strings do not count; real nesting up to the limit is fine.
    expect(readNotebook(withMeta(JSON.stringify("[".repeat(10_000) + '\\"{')))).toBeTruthy();
    expect(readNotebook(withMeta(deep(120))).metadata.x).toBeTruthy();
    expect(expectFormatError(withMeta(deep(120)), { maxDepth: 50 }).message).toContain("the limit is 50");
  });

  it.each([
    [3, "nbformat 3 is not supported"],
    [5, "nbformat 5 is not supported"],
  ])("wrong major version nbformat %d", (major, message) => {
    const text = fixture("v4.2.ipynb").replace('"nbformat": 4,', `"nbformat": ${major},`);
    const error = expectFormatError(text);
    expect(error.code).toBe("unsupported-version");
    expect(error.message).toContain(message);
    expect(error.issues[0]).toMatchObject({ path: "nbformat", line: 42 });
  });

  it("JSON that is not a notebook at all", () => {
    expect(expectFormatError("[1, 2]").code).toBe("not-a-notebook");
    const error = expectFormatError('{"name": "package.json"}');
    expect(error.code).toBe("not-a-notebook");
    expect(error.message).toContain("missing field(s) nbformat, cells");
  });

  it("unknown cell type, with its position", () => {
    const text = fixture("v4.2.ipynb").replace('"cell_type": "raw"', '"cell_type": "heading"');
    const error = expectFormatError(text);
    expect(error.code).toBe("invalid");
    expect(error.issues).toEqual([{ path: "cells[0].cell_type", message: 'unknown cell type "heading" (expected code, markdown or raw)', line: 4, column: 17 }]);
  });

  it("missing fields", () => {
    const nb = JSON.parse(fixture("v4.5.ipynb")) as { cells: Record<string, unknown>[]; metadata?: unknown };
    delete nb.cells[1]?.["outputs"];
    delete nb.cells[0]?.["source"];
    const error = expectFormatError(JSON.stringify(nb, null, 1));
    const paths = error.issues.map((i) => i.path).sort();
    expect(paths).toEqual(["cells[0].source", "cells[1].outputs"]);
    expect(error.issues.every((i) => i.message.startsWith("missing required field"))).toBe(true);
    expect(error.issues.every((i) => typeof i.line === "number")).toBe(true);
    const noMeta = JSON.parse(fixture("v4.5.ipynb")) as Record<string, unknown>;
    delete noMeta["metadata"];
    expect(expectFormatError(JSON.stringify(noMeta)).issues[0]?.path).toBe("metadata");
  });

  it("wrong types and unexpected fields", () => {
    const nb = JSON.parse(fixture("v4.3.ipynb")) as { cells: Record<string, unknown>[] };
    if (nb.cells[0]) {
      nb.cells[0]["execution_count"] = "two";
      nb.cells[0]["extra"] = true;
    }
    const error = expectFormatError(JSON.stringify(nb));
    const byPath = Object.fromEntries(error.issues.map((i) => [i.path, i.message]));
    expect(byPath["cells[0]"]).toBe('unexpected field(s) "extra"');
    expect(byPath["cells[0].execution_count"]).toBeDefined();
  });

  it("bad output: stream name and non-string mime data", () => {
    const nb = JSON.parse(fixture("v4.0.ipynb")) as { cells: { outputs?: Record<string, unknown>[] }[] };
    const outputs = nb.cells[1]?.outputs ?? [];
    if (outputs[0]) outputs[0]["name"] = "stdlog";
    if (outputs[1]) outputs[1]["data"] = { "text/plain": 42 };
    const error = expectFormatError(JSON.stringify(nb));
    const paths = error.issues.map((i) => i.path);
    expect(paths).toContain("cells[1].outputs[0].name");
    expect(paths).toContain("cells[1].outputs[1].data.text/plain");
  });

  it("validateNotebook reports without throwing and writeNotebook refuses invalid notebooks", () => {
    const result = validateNotebook({ nbformat: 4, nbformat_minor: 4, metadata: {}, cells: [{ cell_type: "code" }] });
    expect(result.ok).toBe(false);
    const bad = { nbformat: 4, nbformat_minor: 4, metadata: {}, cells: [{ cell_type: "code", source: "", metadata: {} }] } as unknown as Notebook;
    expect(() => writeNotebook(bad)).toThrow(NotebookFormatError);
  });
});

describe("helpers", () => {
  it("splitLines keeps newlines like nbformat's multiline strings", () => {
    expect(splitLines("a\nb\n\nc")).toEqual(["a\n", "b\n", "\n", "c"]);
    expect(splitLines("a\n")).toEqual(["a\n"]);
    expect(splitLines("")).toEqual([]);
  });

  it("notebookLanguage reads kernelspec and language_info", () => {
    expect(notebookLanguage(readNotebook(fixture("v4.2.ipynb")))).toBe("javascript");
    expect(notebookLanguage(readNotebook(fixture("v4.4.ipynb")))).toBe("typescript");
    expect(notebookLanguage(notebook([], {}))).toBe("typescript");
    expect(() => notebookLanguage(notebook([], { kernelspec: { name: "python3", display_name: "Python 3", language: "python" } }))).toThrow(/unsupported notebook language "python"/);
  });

  it("renderNotebookText shows sources and outputs", () => {
    const text = renderNotebookText(readNotebook(fixture("v4.0.ipynb")));
    expect(text).toContain('In [1]:\nconsole.log("hello")\n1 + 1');
    expect(text).toContain("Out:\nhello\n2\n");
    expect(renderNotebookText(notebook([code("1")]))).toContain("In [ ]:");
  });
});
