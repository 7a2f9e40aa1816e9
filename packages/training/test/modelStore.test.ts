import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Backbone } from "../src/backbone";
import { loadModelFiles, ModelUnavailableError, MODELS_FROM_ENV } from "../src/modelStore";
import { assetsDir, tempDir } from "./helpers";

/** The real download code against a loopback HTTP server serving the shared model folders. */
const assets = assetsDir();

describe.skipIf(!assets)("model download, cache and integrity", () => {
  let server: http.Server;
  let base: string;
  const requests: string[] = [];
  let truncate: string | undefined;

  beforeAll(async () => {
    const root = path.join(assets!, "models");
    server = http.createServer((req, res) => {
      const url = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
      requests.push(url);
      const file = path.join(root, path.normalize(url));
      if (!file.startsWith(root) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
        res.writeHead(404).end("not found");
        return;
      }
      let body = fs.readFileSync(file);
      if (truncate && url.endsWith(truncate)) body = body.subarray(0, body.length - 10);
      res.writeHead(200, { "content-length": body.length }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("downloads into the cache with sha256 recorded, then loads from the cache without the network", async () => {
    const cacheDir = tempDir("dl");
    const url = `${base}/mobilenet_v1_0.75_224/model.json`;
    const files = await loadModelFiles("mobilenet_v1_0.75_224", { from: url, cacheDir });
    expect(files.labels).toHaveLength(1000);
    const dir = path.join(cacheDir, "models", "mobilenet_v1_0.75_224");
    expect(files.dir).toBe(dir);
    const integrity = JSON.parse(fs.readFileSync(path.join(dir, "integrity.json"), "utf8"));
    expect(integrity.source).toBe(url);
    expect(Object.keys(integrity.files)).toHaveLength(1 + 55 + 1); // model.json, shards, metadata.json
    const shard = fs.readFileSync(path.join(dir, "group1-shard1of1"));
    expect(integrity.files["group1-shard1of1"]).toEqual({ size: shard.length, sha256: createHash("sha256").update(shard).digest("hex") });
    expect(fs.readdirSync(path.join(cacheDir, "models")).filter((n) => n.includes("partial"))).toEqual([]);

    // The same URL again and then no source at all: both served from the verified cache.
    const before = requests.length;
    await loadModelFiles("mobilenet_v1_0.75_224", { from: url, cacheDir });
    const saved = process.env[MODELS_FROM_ENV];
    delete process.env[MODELS_FROM_ENV];
    try {
      const backbone = await Backbone.load("mobilenet_v1_0.75_224", { cacheDir });
      expect(backbone.files.source).toBe(url);
      expect(backbone.featureDim).toBe(768);
      await backbone.close();
    } finally {
      if (saved !== undefined) process.env[MODELS_FROM_ENV] = saved;
    }
    expect(requests.length).toBe(before);

    // A corrupted cached shard is detected on load.
    const buf = fs.readFileSync(path.join(dir, "group7-shard1of1"));
    buf[0] = buf[0]! ^ 0xff;
    fs.writeFileSync(path.join(dir, "group7-shard1of1"), buf);
    await expect(loadModelFiles("mobilenet_v1_0.75_224", { cacheDir })).rejects.toThrow(/corrupt: .*group7-shard1of1 has sha256 [0-9a-f]{64}, expected/);
  });

  it("rejects a truncated shard and leaves no partial cache behind", async () => {
    const cacheDir = tempDir("trunc");
    truncate = "group3-shard1of1";
    try {
      await expect(loadModelFiles("darknet_tiny", { from: `${base}/darknet_tiny/model.json`, cacheDir })).rejects.toThrow(
        /group3-shard1of1 hold \d+ bytes but model.json's weightsManifest needs \d+/,
      );
    } finally {
      truncate = undefined;
    }
    expect(fs.readdirSync(path.join(cacheDir, "models"))).toEqual([]);
    const ok = await loadModelFiles("darknet_tiny", { from: `${base}/darknet_tiny/model.json`, cacheDir });
    expect(ok.labels?.[0]).toBe("kit fox");
  });

  it("uses COURSE_MODELS_FROM as a base URL", async () => {
    const cacheDir = tempDir("env");
    const saved = process.env[MODELS_FROM_ENV];
    process.env[MODELS_FROM_ENV] = base;
    try {
      const files = await loadModelFiles("darknet_tiny", { cacheDir });
      expect(files.source).toBe(`${base}/darknet_tiny/model.json`);
    } finally {
      if (saved === undefined) delete process.env[MODELS_FROM_ENV];
      else process.env[MODELS_FROM_ENV] = saved;
    }
  });

  it("says exactly what is missing and how to provide it", async () => {
    const cacheDir = tempDir("missing");
    const saved = process.env[MODELS_FROM_ENV];
    delete process.env[MODELS_FROM_ENV];
    try {
      const err = await loadModelFiles("darknet_tiny", { cacheDir }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ModelUnavailableError);
      expect((err as Error).message).toMatch(/Model "darknet_tiny" is missing: .*nothing cached at .*darknet_tiny/);
      expect((err as Error).message).toContain(`${MODELS_FROM_ENV}=`);
      const err404 = await loadModelFiles("mobilenet_v1_0.75_224", { from: `${base}/nope/model.json`, cacheDir }).catch((e: unknown) => e);
      expect((err404 as Error).message).toMatch(/404/);
      const local = await loadModelFiles("mobilenet_v1_0.75_224", { from: path.join(cacheDir, "nowhere") }).catch((e: unknown) => e);
      expect((local as Error).message).toMatch(/nowhere\/model.json does not exist/);
    } finally {
      if (saved !== undefined) process.env[MODELS_FROM_ENV] = saved;
    }
  });
});
