import { expect, type APIRequestContext, type Page } from "@playwright/test";
import type { ClaimResponse, CompleteRequest } from "@course/runner/protocol";
import { runnerPost, testCapabilities } from "./runner-api";

/** A small TypeScript notebook, executed (with an output) or not. */
export function tinyNotebook(executed: boolean): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "typescript", display_name: "TypeScript", language: "typescript" } },
    cells: [
      { id: "m1", cell_type: "markdown", metadata: {}, source: "# My classifier" },
      {
        id: "c1",
        cell_type: "code",
        metadata: {},
        execution_count: executed ? 1 : null,
        outputs: executed ? [{ output_type: "stream", name: "stdout", text: "accuracy 0.97\n" }] : [],
        source: 'console.log("accuracy 0.97")',
      },
    ],
  });
}

/** Uploads a notebook for lesson-1 as the student signed in on `page` (the real upload route); returns its ids. */
export async function submitNotebook(page: Page, baseUrl: string, name = "mine.ipynb"): Promise<{ id: string; jobId: string }> {
  const res = await page.request.post(`${baseUrl}/api/submissions?assignment=lesson-1`, {
    multipart: { assignment: "lesson-1", file: { name, mimeType: "application/x-ipynb+json", buffer: Buffer.from(tinyNotebook(false)) } },
  });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()) as { id: string; jobId: string };
}

/** Plays the runner over the real HTTP API: claims the next queued job and completes it with these public scores. */
export async function scoreNextJob(request: APIRequestContext, baseUrl: string, token: string, scores: { logLoss: number; accuracy: number }): Promise<string> {
  const claim = await runnerPost(request, baseUrl, token, "/api/runner/claim", { capabilities: testCapabilities, waitSeconds: 5 });
  const { job } = (await claim.json()) as ClaimResponse;
  const metrics = { count: 100, ...scores };
  const complete: CompleteRequest = {
    executedNotebook: tinyNotebook(true),
    submissionCsv: "id,label\n1,0.9\n",
    scores: { overall: metrics, public: metrics, private: { ...metrics, logLoss: scores.logLoss + 0.05 } },
    capabilities: testCapabilities,
    backend: "onnxruntime-cpu",
    timings: { setupMs: 1, executeMs: 2, scoreMs: 3, totalMs: 6 },
    logLines: [{ at: new Date().toISOString(), stream: "stdout", text: "training epoch 1: loss 0.31 https://example.com/a/very/long/url/that/must/wrap/on/a/phone/screen/without/widening/the/page" }],
  };
  await runnerPost(request, baseUrl, token, `/api/runner/jobs/${job.id}/complete`, complete);
  return job.id;
}
