import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { describeModels } from "../src/models";

describe("describeModels", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "runner-models-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("names the backbones found (by id or by another folder name) and says where each missing one goes", () => {
    mkdirSync(path.join(dir, "mobilenet_v1_0.75_224"));
    writeFileSync(path.join(dir, "mobilenet_v1_0.75_224", "model.json"), "{}");
    mkdirSync(path.join(dir, "mobilenet_v2_1.0_features"));
    writeFileSync(path.join(dir, "mobilenet_v2_1.0_features", "manifest.json"), "{}");
    mkdirSync(path.join(dir, "darknet_tiny")); // a folder without its model file is not a model
    const line = describeModels(dir);
    expect(line).toContain("mobilenet_v1_0.75_224");
    expect(line).toContain("mobilenet_v2_1.0 (mobilenet_v2_1.0_features)");
    expect(line).toMatch(/missing: darknet_tiny \(put it at .*darknet_tiny\)/);
  });

  it("says that nothing is mounted, and what to mount", () => {
    expect(describeModels(undefined)).toMatch(/none mounted.*mobilenet_v2_1\.0/);
  });
});
