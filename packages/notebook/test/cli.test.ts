import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readNotebook, writeNotebook, type Notebook } from "../src/index";
import { code, markdown, notebook, outputsOf, packageDir, pythonNbformatUnavailable, streamText, tempDir, validateWithPython } from "./helpers";

const BIN = path.join(packageDir, "bin", "course-notebook.js");

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  fd3: string;
}

function runCli(args: string[], options: { killAfterMs?: number; onStdout?: (text: string, kill: () => void) => void } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ["ignore", "pipe", "pipe", "pipe"] });
    const chunks = { stdout: "", stderr: "", fd3: "" };
    child.stdout?.setEncoding("utf8").on("data", (t: string) => {
      chunks.stdout += t;
      options.onStdout?.(chunks.stdout, () => child.kill("SIGTERM"));
    });
    child.stderr?.setEncoding("utf8").on("data", (t: string) => (chunks.stderr += t));
    const fd3 = child.stdio[3];
    if (fd3 && "setEncoding" in fd3) (fd3 as NodeJS.ReadableStream).setEncoding("utf8").on("data", (t: string) => (chunks.fd3 += t));
    child.on("error", reject);
    child.on("close", (exitCode) => resolve({ code: exitCode, ...chunks }));
  });
}

function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

function writeInput(nb: Notebook): { dir: string; input: string; out: string } {
  const dir = tempDir("nb-cli-");
  const input = path.join(dir, "in.ipynb");
  writeFileSync(input, writeNotebook(nb));
  return { dir, input, out: path.join(dir, "out.ipynb") };
}

const pythonSkip = pythonNbformatUnavailable();

describe("course-notebook CLI (child process)", () => {
  it("runs a notebook, writes it, streams JSON-line events on stdout, exits 0", async () => {
    const nb = notebook([markdown("# Title"), code('console.log("hello from cell 1");\nconst n: number = 20;'), code("n + 22")]);
    const { dir, input, out } = writeInput(nb);
    const run = await runCli(["run", input, "--out", out, "--cwd", dir, "--cell-timeout", "30", "--timeout", "120"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const events = jsonLines(run.stdout);
    expect(events.map((e) => e["event"])).toEqual(["start", "cell-start", "stream", "cell-end", "cell-start", "result", "cell-end", "done"]);
    expect(events[1]).toEqual({ event: "cell-start", index: 1, count: 3, executionCount: 1 });
    expect(events[2]).toEqual({ event: "stream", index: 1, name: "stdout", text: "hello from cell 1\n" });
    expect(events.at(-1)).toMatchObject({ event: "done", status: "ok", cellsRun: 2, codeCells: 2, out });
    const executed = readNotebook(readFileSync(out));
    expect(streamText(outputsOf(executed, 1), "stdout")).toBe("hello from cell 1\n");
    expect(executed.cells[2]).toMatchObject({ execution_count: 2 });
    if (pythonSkip) console.log(`skipping python nbformat check: ${pythonSkip}`);
    else expect(validateWithPython(out)).toBe("");
  });

  it("exits 1 with a final error event when a cell fails, still writing the notebook; events can go to a file descriptor", async () => {
    const nb = notebook([code("const a: string = 'x';\nthrow new Error(`failed with ${a}`);"), code("'never'")]);
    const { input, out } = writeInput(nb);
    const run = await runCli(["run", input, "--out", out, "--events", "fd:3"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    const events = jsonLines(run.fd3);
    const error = events.find((e) => e["event"] === "error");
    expect(error).toMatchObject({ index: 0, reason: "exception", ename: "Error", evalue: "failed with x" });
    expect((error?.["traceback"] as string[]).join("\n")).toContain("Cell In[1], line 2");
    expect(events.at(-1)).toMatchObject({ event: "done", status: "error", failure: { index: 0, reason: "exception" } });
    const executed = readNotebook(readFileSync(out));
    expect(outputsOf(executed, 0)[0]?.output_type).toBe("error");
    expect(executed.cells[1]).toMatchObject({ execution_count: null, outputs: [] });
  });

  it("exits 2 when a cell time limit stops a synchronous loop", async () => {
    const { input, out } = writeInput(notebook([code("while (true) {}")]));
    const run = await runCli(["run", input, "--out", out, "--cell-timeout", "1"]);
    expect(run.code).toBe(2);
    expect(jsonLines(run.stdout).at(-1)).toMatchObject({ event: "done", status: "timeout", failure: { reason: "cell-timeout" } });
    expect(existsSync(out)).toBe(true);
  });

  it("exits 4 on SIGTERM, killing the kernel and writing what ran", async () => {
    const { input, out } = writeInput(notebook([code("console.log('started');\nawait new Promise((r) => setTimeout(r, 60_000));")]));
    let sent = false;
    const run = await runCli(["run", input, "--out", out], {
      onStdout: (text, kill) => {
        if (!sent && text.includes('"started\\n"')) {
          sent = true;
          kill();
        }
      },
    });
    expect(run.code).toBe(4);
    const executed = readNotebook(readFileSync(out));
    expect(streamText(outputsOf(executed, 0), "stdout")).toBe("started\n");
    expect(jsonLines(run.stdout).at(-1)).toMatchObject({ event: "done", status: "aborted" });
  });

  it("when the CLI is killed with SIGKILL, its kernel process exits too", async () => {
    const { input, out } = writeInput(notebook([code("console.log(`kernel pid ${process.pid}`);\nawait new Promise((r) => setTimeout(r, 60_000));")]));
    let kernelPid = 0;
    const child = spawn(process.execPath, [BIN, "run", input, "--out", out], { stdio: ["ignore", "pipe", "pipe"] });
    await new Promise<void>((resolve) => {
      let text = "";
      child.stdout?.setEncoding("utf8").on("data", (t: string) => {
        text += t;
        const m = /kernel pid (\d+)/.exec(text);
        if (m && !kernelPid) {
          kernelPid = Number(m[1]);
          child.kill("SIGKILL");
          resolve();
        }
      });
    });
    const alive = () => {
      try {
        process.kill(kernelPid, 0);
        return true;
      } catch {
        return false;
      }
    };
    const deadline = Date.now() + 10_000;
    while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(alive()).toBe(false);
  });

  it("exits 3 for input that is not a notebook and 64 for usage errors", async () => {
    const dir = tempDir("nb-cli-");
    const bad = path.join(dir, "bad.ipynb");
    writeFileSync(bad, '{"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "cells": []}');
    const run = await runCli(["run", bad, "--out", path.join(dir, "o.ipynb")]);
    expect(run.code).toBe(3);
    expect(jsonLines(run.stdout)[0]).toMatchObject({ event: "error", reason: "invalid-notebook" });
    expect(run.stderr).toContain("nbformat 3 is not supported");

    const usage = await runCli(["run", bad, "--cell-timeout", "soon"]);
    expect(usage.code).toBe(64);
    expect(usage.stderr).toContain("--out <out.ipynb> is required");
    expect(usage.stderr).toContain("--cell-timeout expects a number of seconds");
  });

  it("validate command", async () => {
    const dir = tempDir("nb-cli-");
    const good = path.join(dir, "good.ipynb");
    writeFileSync(good, writeNotebook(notebook([code("1")])));
    const ok = await runCli(["validate", good]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain("valid nbformat 4.4 notebook, 1 cells");
    const big = await runCli(["validate", good, "--max-bytes", "10"]);
    expect(big.code).toBe(3);
    expect(big.stderr).toContain("over the limit of 10 bytes");
  });
});
