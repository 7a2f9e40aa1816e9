/**
 * The lesson notebooks in content/notebooks/ (linked from the lesson pages with <NotebookLink>) run from top to
 * bottom with the real executor, training package and pretrained MobileNet, and tell a student what is missing
 * when the model or the photos are not there yet.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { chmod, mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { readNotebook, writeNotebook, type Notebook } from "@course/notebook";
import { executeNotebook } from "@course/notebook/execute";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBenchmark } from "../src/benchmark/create";
import { kaggleSampleDir, kaggleSubset, repoRoot, sharedModelsDir } from "./helpers";

const notebooksDir = path.join(repoRoot, "content/notebooks");
const sample = kaggleSampleDir("the lesson notebook test");
const modelsDir = sharedModelsDir("the lesson notebook test");

const load = (name: string) => readNotebook(readFileSync(path.join(notebooksDir, name), "utf8"));

/** Everything the notebook printed or displayed, as text, and the MIME types of its rich outputs. */
function outputsOf(notebook: Notebook): { text: string; mimeTypes: string[] } {
  let text = "";
  const mimeTypes: string[] = [];
  for (const cell of notebook.cells) {
    if (cell.cell_type !== "code") continue;
    for (const output of cell.outputs) {
      if (output.output_type === "stream") text += typeof output.text === "string" ? output.text : output.text.join("");
      if (output.output_type === "display_data" || output.output_type === "execute_result") mimeTypes.push(...Object.keys(output.data));
      if (output.output_type === "error") text += `${output.ename}: ${output.evalue}\n`;
    }
  }
  return { text, mimeTypes };
}

describe("content/notebooks", () => {
  it("holds valid TypeScript notebooks for every <NotebookLink> in the lessons", () => {
    const lessons = readdirSync(path.join(repoRoot, "content/lessons")).filter((f) => f.endsWith(".mdx"));
    const linked = lessons.flatMap((f) => [...readFileSync(path.join(repoRoot, "content/lessons", f), "utf8").matchAll(/<NotebookLink path="([^"]+)"/g)].map((m) => m[1]!));
    expect(linked.length).toBeGreaterThan(0);
    for (const relative of linked) {
      const notebook = readNotebook(readFileSync(path.join(repoRoot, "content", relative), "utf8"));
      expect(notebook.metadata.kernelspec?.name, relative).toBe("typescript");
      expect(notebook.cells.every((c) => c.cell_type !== "code" || (c.outputs.length === 0 && c.execution_count === null)), `${relative} is stored unexecuted`).toBe(true);
    }
  });
});

describe.skipIf(!sample || !modelsDir)("the lesson notebooks, executed", () => {
  let tmp: string;
  let dataDir: string;
  const env = (extra: Record<string, string>) => ({ ...process.env, COURSE_MODEL_CACHE: path.join(tmp, "cache"), ...extra });

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), "course-lesson-notebooks-"));
    await chmod(tmp, 0o755);
    const subset = await kaggleSubset(sample as string, path.join(tmp, "kaggle"), 150);
    dataDir = (await createBenchmark({ fromKaggle: subset, out: path.join(tmp, "photos"), seed: 7 })).dir;
  }, 120_000);
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it("the setup notebook finds the model and the photos", async () => {
    const result = await executeNotebook(load("lesson-0-setup.ipynb"), {
      cwd: tmp,
      timeoutMs: 120_000,
      env: env({ COURSE_MODELS_FROM: modelsDir as string, COURSE_DATA_DIR: dataDir }),
    });
    const { text } = outputsOf(result.notebook);
    expect(result.status, text).toBe("ok");
    expect(text).toMatch(/MobileNet is ready; backend: onnxruntime-(cpu|cuda)/);
    expect(text).toMatch(/classes cats, dogs\n\d+ training, \d+ validation, \d+ test photos/);
  }, 150_000);

  it("the setup notebook says what is missing and the command that adds it", async () => {
    const empty = path.join(tmp, "no-models");
    await mkdir(empty, { recursive: true });
    const result = await executeNotebook(load("lesson-0-setup.ipynb"), {
      cwd: tmp,
      timeoutMs: 60_000,
      env: env({ COURSE_MODELS_FROM: empty, COURSE_DATA_DIR: path.join(tmp, "no-photos") }),
    });
    const { text } = outputsOf(result.notebook);
    expect(result.status, text).toBe("ok");
    expect(text).toContain("MobileNet is not available yet");
    expect(text).toContain(`${path.join(empty, "mobilenet_v1_0.75_224", "model.json")} does not exist`);
    expect(text).toContain("is not a folder");
    expect(text).toContain(`npm run train -- prepare ~/Downloads/train ${path.join(tmp, "no-photos")} --sample 50`);
  }, 90_000);

  it("the Lesson 1 notebook classifies, fine-tunes, plots, shows its mistakes and saves the model", async () => {
    const work = path.join(tmp, "lesson-1");
    await mkdir(work, { recursive: true });
    const result = await executeNotebook(load("lesson-1.ipynb"), {
      cwd: work,
      timeoutMs: 240_000,
      env: env({ COURSE_MODELS_FROM: modelsDir as string, COURSE_DATA_DIR: dataDir }),
    });
    const { text, mimeTypes } = outputsOf(result.notebook);
    expect(result.status, text).toBe("ok");
    // ImageNet's own classes before fine-tuning (a cat or dog breed, with a probability).
    expect(text).toMatch(/\.jpg: [^\n]+ \(\d+\.\d%\), /);
    const accuracy = Number(/validation accuracy (\d+\.\d+)%, log loss/.exec(text)?.[1]);
    expect(accuracy).toBeGreaterThan(85);
    expect(mimeTypes.filter((m) => m === "image/svg+xml")).toHaveLength(2);
    expect(mimeTypes.filter((m) => m === "image/jpeg").length).toBeGreaterThanOrEqual(4 + 3);
    expect(existsSync(path.join(work, "dogscats.model.json"))).toBe(true);

    const executed = path.join(tmp, "lesson-1.executed.ipynb");
    await import("node:fs/promises").then((fs) => fs.writeFile(executed, writeNotebook(result.notebook)));
    const check = spawnSync("/usr/bin/python3", ["-c", "import nbformat,sys; nbformat.validate(nbformat.read(sys.argv[1], as_version=4))", executed], { encoding: "utf8" });
    if (check.error || /No module named/.test(check.stderr)) console.log("nbformat not installed: skipping the reference validation");
    else expect(check.status, check.stderr).toBe(0);
  }, 300_000);
});
