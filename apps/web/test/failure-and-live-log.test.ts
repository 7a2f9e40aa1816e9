import { readNotebook, type Notebook } from "@course/notebook";
import { executeNotebook, type ExecutionEvent } from "@course/notebook/execute";
import { beforeAll, describe, expect, it } from "vitest";
import { completion } from "./homework-support";
import { explainFailure } from "~/components/homework/failure";
import { cellLabels } from "~/components/notebook/cell-labels";
import { signUpWithPassword } from "~/server/auth/users";
import { notebookOutput, progressOf } from "~/server/homework/live-log";
import { claimNextJob, finishJob, heartbeatJob } from "~/server/runner/queue";
import { createRunnerToken } from "~/server/runner/tokens";
import { createCaller } from "~/server/trpc/root";
import { eachBackend } from "./support/backends";

// A notebook as students write them: markdown first, a blank code cell (the executor skips it), prints, then an
// exception on line 3 of the third code cell that runs.
function studentNotebook(): Notebook {
  const code = (id: string, source: string) => ({ id, cell_type: "code" as const, metadata: {}, execution_count: null, outputs: [], source });
  return readNotebook(
    JSON.stringify({
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { kernelspec: { name: "typescript", display_name: "TypeScript", language: "typescript" } },
      cells: [
        { id: "m1", cell_type: "markdown", metadata: {}, source: "# Dogs vs cats" },
        code("c1", 'console.log("loading data");\nconst images = [1, 2, 3];'),
        code("c2", "   "),
        { id: "m2", cell_type: "markdown", metadata: {}, source: "Now train." },
        code("c3", 'for (let epoch = 1; epoch <= 2; epoch++) {\n  process.stdout.write(`epoch ${epoch}: `);\n  console.log(`loss ${(0.5 / epoch).toFixed(2)}`);\n}'),
        code("c4", 'const model = { fit() { return 1; } };\nmodel.fit();\n(model as any).predict(images);\nconsole.log("never");'),
        code("c5", 'console.log("not reached")'),
      ],
    }),
  );
}

// What the runner sees: the executor's JSON-lines events on stdout (as `course-notebook run` writes them).
let events: string[] = [];
let executed: Notebook;
beforeAll(async () => {
  const seen: ExecutionEvent[] = [];
  const result = await executeNotebook(studentNotebook(), { onEvent: (e) => seen.push(e), heartbeatMs: 0, cellTimeoutMs: 60_000 });
  executed = result.notebook;
  events = seen.map((e) => JSON.stringify(e));
}, 120_000);

describe("live output", () => {
  it("is the notebook's own prints, joined into lines, without the runner's or executor's events", () => {
    const at = new Date();
    const raw = [{ at, stream: "runner", text: "executing notebook (sandboxed, timeout 600 s)" }, ...events.map((text) => ({ at, stream: "stdout", text })), { at, stream: "stderr", text: "(node) a warning" }];
    const lines = notebookOutput(raw).map((l) => `${l.stream}: ${l.text}`);
    expect(lines).toEqual(["stdout: loading data", "stdout: epoch 1: loss 0.50", "stdout: epoch 2: loss 0.25", expect.stringMatching(/^stderr: TypeError: .*predict/), "stderr: (node) a warning"]);
    expect(lines.join("\n")).not.toContain('{"event"');
    expect(lines.join("\n")).not.toContain("executing notebook");
  });

  it("counts code cells as the executed notebook numbers them (In [k] of the n code cells that run)", () => {
    const upToTraining = events.slice(0, events.findIndex((e) => e.includes('"cell-start"') && e.includes('"executionCount":2')) + 1);
    expect(progressOf(upToTraining, 4)).toEqual({ cell: 2, count: 4 });
    // The executed notebook gives that cell the same number.
    expect(executed.cells[4]).toMatchObject({ cell_type: "code", execution_count: 2 });
    expect(progressOf(["cell 3/7"], null)).toEqual({ cell: 3, count: 7 });
    expect(progressOf(["nothing"], 4)).toBeNull();
  });

  it("labels cells as the notebook shows them: In [n] for code that ran, markdown cells by their own count", () => {
    expect(cellLabels(executed)).toEqual(["markdown cell 1", "In [1]", "code cell 2", "markdown cell 2", "In [2]", "In [3]", "code cell 5"]);
  });
});

describe("a failure explained", () => {
  it("names the exception, its message, the cell as In [n] and the lines around the error, the failing one marked", () => {
    const explained = explainFailure({ reason: "notebook error", state: "failed", message: "exit code 1\n" + events.slice(-3).join("\n"), executed, submitted: null });
    expect(explained.title).toBe("TypeError in In [3]");
    expect(explained.exception).toMatchObject({ ename: "TypeError", executionCount: 3, cellIndex: 5, line: 3 });
    expect(explained.exception!.evalue).toMatch(/predict/);
    expect(explained.exception!.source).toEqual([
      { line: 1, text: "const model = { fit() { return 1; } };", error: false },
      { line: 2, text: "model.fit();", error: false },
      { line: 3, text: "(model as any).predict(images);", error: true },
      { line: 4, text: 'console.log("never");', error: false },
    ]);
  });

  it("falls back to the executor's error event and the submitted notebook when no executed notebook came back", () => {
    const explained = explainFailure({ reason: "notebook error", state: "failed", message: events.join("\n"), executed: null, submitted: studentNotebook() });
    expect(explained.exception).toMatchObject({ ename: "TypeError", executionCount: 3, cellIndex: 5, line: 3 });
    expect(explained.exception!.source.find((l) => l.error)?.text).toBe("(model as any).predict(images);");
  });

  it("says plainly what a limit, a missing or bad submission.csv, or our own trouble means, and what to do", () => {
    const plain = (reason: string) => explainFailure({ reason, state: "failed", message: "details", executed: null, submitted: null });
    expect(plain("timeout")).toMatchObject({ title: "Your notebook ran out of time", exception: null });
    expect(plain("timeout").next).toMatch(/fewer epochs/);
    expect(plain("memory limit").title).toBe("Your notebook used too much memory");
    expect(plain("output limit").next).toMatch(/Print summaries/);
    expect(plain("no submission")).toMatchObject({ title: "No submission.csv was written" });
    expect(plain("no submission").next).toContain('writeSubmission(predictions, "submission.csv")');
    expect(plain("invalid submission").next).toContain("id,label");
    expect(plain("internal error").title).toContain("not your notebook");
    expect(explainFailure({ reason: null, state: "cancelled", message: null, executed: null, submitted: null }).title).toBe("This run was cancelled");
  });
});

eachBackend((db) => {
  const prisma = () => db().prisma;
  it("a running submission shows the notebook's output and In [k] of n code cells; a failed one keeps the exception", async () => {
    const alice = await signUpWithPassword(prisma(), { email: "alice@example.com", password: "a sound passphrase" });
    const text = JSON.stringify(studentNotebook());
    const job = await prisma().job.create({ data: { notebook: text, benchmarkId: "dogscats" } });
    await prisma().submission.create({ data: { userId: alice.id, assignmentSlug: "open-hw", fileName: "mine.ipynb", size: text.length, sha256: "0".repeat(64), notebook: text, jobId: job.id } });
    const runner = await createRunnerToken(prisma(), "r");
    await claimNextJob(prisma(), runner.record.id);
    const at = new Date().toISOString();
    const upToTraining = events.slice(0, events.findIndex((e) => e.includes('"cell-start"') && e.includes('"executionCount":2')) + 1);
    await heartbeatJob(prisma(), job.id, runner.record.id, [{ at, stream: "runner", text: "executing notebook" }, ...upToTraining.map((t) => ({ at, stream: "stdout" as const, text: t }))]);
    const caller = createCaller({ db: db(), user: alice, ip: "127.0.0.1" });
    const sub = await prisma().submission.findFirstOrThrow({ where: { jobId: job.id } });
    const running = await caller.homework.submission({ id: sub.id });
    expect(running).toMatchObject({ state: "running", progress: { cell: 2, count: 4 } });
    expect(running.logTail.map((l) => l.text)).toEqual(["loading data"]);

    const { capabilities, timings } = completion([0, 1]);
    await finishJob(prisma(), job.id, runner.record.id, {
      kind: "fail",
      body: { reason: "notebook error", message: "exit code 1", executedNotebook: JSON.stringify(executed), capabilities, timings, logLines: events.slice(upToTraining.length).map((t) => ({ at, stream: "stdout" as const, text: t })) },
    });
    const failed = await caller.homework.submission({ id: sub.id });
    expect(failed.state).toBe("failed");
    expect(failed.logTail.map((l) => l.text)).toEqual(["loading data", "epoch 1: loss 0.50", "epoch 2: loss 0.25", expect.stringMatching(/^TypeError: /)]);
  });
});
