import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { PrismaClient } from "@course/db";
import type { CompleteRequest } from "@course/runner/protocol";
import { recordSubmissionResult } from "~/server/homework/submissions";

// A content folder of our own: the real lessons, and assignments whose deadlines and limits the tests choose.
// Set before any server module reads the environment (serverEnv() caches on first use).
const repo = path.resolve(import.meta.dirname, "../../..");
export const contentRoot = fs.mkdtempSync(path.join(os.tmpdir(), "homework-content-"));
fs.symlinkSync(path.join(repo, "content/lessons"), path.join(contentRoot, "lessons"));
fs.symlinkSync(path.join(repo, "content/notebooks"), path.join(contentRoot, "notebooks"));
fs.mkdirSync(path.join(contentRoot, "homework"));
process.env.COURSE_CONTENT_DIR = contentRoot;

const assignment = (slug: string, deadline: string, extra = "") => `slug: ${slug}
lesson: lesson-1
title: "${slug} title"
benchmark: dogscats
template: lesson-1.ipynb
deadline: "${deadline}"
daily_limit: 2
max_file_size: 100 KiB
rubric:
  - id: runs
    title: Runs
    description: It runs.
    max_points: 1
${extra}`;
fs.writeFileSync(path.join(contentRoot, "homework/open-hw.yaml"), assignment("open-hw", "2099-01-01T00:00:00Z"));
fs.writeFileSync(path.join(contentRoot, "homework/closed-hw.yaml"), assignment("closed-hw", "2020-01-01T00:00:00Z"));
fs.writeFileSync(path.join(contentRoot, "homework/lesson-1.ipynb"), "{}");

export const MAX_FILE = 100 * 1024;

export function notebookText(source = 'console.log("hello")') {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "typescript", display_name: "TypeScript", language: "typescript" } },
    cells: [{ id: "c1", cell_type: "code", metadata: {}, execution_count: null, outputs: [], source }],
  });
}

export function uploadRequest(body: { file?: string | Uint8Array; name?: string; assignment?: string }, init: { query?: string; headers?: Record<string, string> } = {}) {
  const form = new FormData();
  if (body.assignment !== undefined) form.set("assignment", body.assignment);
  if (body.file !== undefined) form.set("file", new File([body.file as BlobPart], body.name ?? "homework.ipynb", { type: "application/x-ipynb+json" }));
  return new Request(`http://localhost/api/submissions${init.query ?? ""}`, { method: "POST", body: form, headers: init.headers });
}

const metrics = (logLoss: number, accuracy: number) => ({ count: 100, accuracy, logLoss });

export function completion(pub: [number, number], priv: [number, number] = pub): CompleteRequest {
  return {
    executedNotebook: notebookText('console.log("executed")'),
    submissionCsv: "id,label\n1,0.9\n",
    scores: { overall: metrics(pub[0], pub[1]), public: metrics(pub[0], pub[1]), private: metrics(priv[0], priv[1]) },
    capabilities: { runnerName: "test", runnerVersion: "0", cpuModel: "cpu", cpuCount: 2, memoryBytes: 1, gpu: null, backend: "onnxruntime-cpu", platform: "linux", sandbox: "bubblewrap" },
    backend: "onnxruntime-cpu",
    timings: { setupMs: 1, executeMs: 2, scoreMs: 3, totalMs: 6 },
    logLines: [{ at: new Date().toISOString(), stream: "stdout", text: "done" }],
  };
}

/** A submission stored directly (bypassing the upload checks), with its job, for ranking and access tests. */
export async function storeSubmission(prisma: PrismaClient, userId: string, assignmentSlug: string, createdAt = new Date()) {
  const text = notebookText();
  const job = await prisma.job.create({ data: { notebook: text, benchmarkId: "dogscats", createdAt } });
  return prisma.submission.create({
    data: { userId, assignmentSlug, fileName: "hw.ipynb", size: text.length, sha256: "0".repeat(64), notebook: text, jobId: job.id, createdAt },
  });
}

/** Marks a job succeeded with these scores, as finishJob would (for tests that need many scored jobs in a set order). */
export async function scoreJob(prisma: PrismaClient, jobId: string, pub: [number, number], priv: [number, number] = pub, finishedAt = new Date()) {
  const done = completion(pub, priv);
  await prisma.job.update({
    where: { id: jobId },
    data: { status: "succeeded", attempts: 1, executedNotebook: done.executedNotebook, submissionCsv: done.submissionCsv, result: { scores: done.scores }, finishedAt },
  });
  // As finishJob does on the write path: the submission gets its scores and the student a notification.
  await prisma.$transaction((tx) => recordSubmissionResult(tx, jobId));
}
