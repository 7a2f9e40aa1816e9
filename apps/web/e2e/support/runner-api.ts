import { expect, type APIRequestContext } from "@playwright/test";
import type { Capabilities } from "@course/runner/protocol";

/** What a spec that plays the runner reports about itself. */
export const testCapabilities: Capabilities = {
  runnerName: "e2e runner",
  runnerVersion: "0",
  cpuModel: "test cpu",
  cpuCount: 1,
  memoryBytes: 1024,
  gpu: null,
  backend: "onnxruntime-cpu",
  platform: "linux",
  sandbox: "bubblewrap",
};

/** A runner-protocol call with a bearer token; fails the test unless the site answers 2xx. */
export async function runnerPost(request: APIRequestContext, baseUrl: string, token: string, path: string, data: unknown) {
  const res = await request.post(`${baseUrl}${path}`, { data, headers: { Authorization: `Bearer ${token}` } });
  expect(res.status(), await res.text()).toBeLessThan(300);
  return res;
}
