import { describe, expect, it } from "vitest";
import { detectBackend, detectCapabilities } from "../src/capabilities";

describe("runner capabilities", () => {
  it("reports the CPU, the GPU (none here) and which ML backend notebooks will get", async () => {
    const caps = await detectCapabilities({ sandbox: "bubblewrap", nvidiaSmi: "/nonexistent/nvidia-smi" });
    expect(caps.gpu).toBeNull();
    expect(caps.cpuCount).toBeGreaterThan(0);
    expect(caps.backend).toBe("onnxruntime-cpu");
    expect(detectBackend("NVIDIA H100")).toMatch(/^(onnxruntime-cuda|tfjs-node-gpu|onnxruntime-cpu \(GPU found, no CUDA engine installed\))$/);
  });
});
