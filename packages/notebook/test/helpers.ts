import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Cell, CodeCell, Notebook, Output } from "../src/index";
import { joinMultiline, writeNotebook } from "../src/index";

export const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const fixturesDir = path.join(packageDir, "test", "fixtures");

export function code(source: string | string[], extra: Partial<CodeCell> = {}): CodeCell {
  return { cell_type: "code", metadata: {}, source, outputs: [], execution_count: null, ...extra };
}

export function markdown(source: string): Cell {
  return { cell_type: "markdown", metadata: {}, source };
}

export function notebook(cells: Cell[], metadata: Notebook["metadata"] = { kernelspec: { name: "typescript", display_name: "TypeScript", language: "typescript" } }): Notebook {
  return { nbformat: 4, nbformat_minor: 4, metadata, cells };
}

export function outputsOf(nb: Notebook, index: number): Output[] {
  const cell = nb.cells[index];
  if (!cell || cell.cell_type !== "code") throw new Error(`cell ${index} is not a code cell`);
  return cell.outputs;
}

/** Text of all stream outputs of a cell, by stream name. */
export function streamText(outputs: Output[], name: "stdout" | "stderr"): string {
  return outputs
    .filter((o) => o.output_type === "stream" && o.name === name)
    .map((o) => (o.output_type === "stream" ? joinMultiline(o.text) : ""))
    .join("");
}

export function resultText(outputs: Output[]): string | undefined {
  const result = outputs.find((o) => o.output_type === "execute_result");
  if (!result || result.output_type !== "execute_result") return undefined;
  return joinMultiline(result.data["text/plain"] as string | string[]);
}

export function tempDir(prefix = "nb-test-"): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

const PYTHON = "/usr/bin/python3";

/** Why the reference validator cannot run here, or undefined when it can. */
export function pythonNbformatUnavailable(): string | undefined {
  if (!existsSync(PYTHON)) return `${PYTHON} not found`;
  try {
    execFileSync(PYTHON, ["-c", "import nbformat"], { stdio: "pipe" });
    return undefined;
  } catch {
    return `${PYTHON} has no nbformat module (python3-nbformat not installed)`;
  }
}

/** Runs Debian's python3-nbformat validator on a notebook file; returns its error text or "". */
export function validateWithPython(file: string): string {
  try {
    execFileSync(PYTHON, ["-c", "import nbformat,sys; nbformat.validate(nbformat.read(sys.argv[1], as_version=4))", file], { stdio: "pipe" });
    return "";
  } catch (error) {
    const e = error as { stderr?: Buffer };
    return e.stderr?.toString() || String(error);
  }
}

export function validateNotebookWithPython(nb: Notebook): string {
  const file = path.join(tempDir("nb-py-"), "nb.ipynb");
  writeFileSync(file, writeNotebook(nb));
  return validateWithPython(file);
}
