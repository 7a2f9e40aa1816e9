/**
 * `npm run bench:training`: end-to-end feature extraction (read, decode, resize,
 * forward to pooled features) on the 2002 photos of the shared Kaggle sample, ours
 * (sharp + onnxruntime) against the PyTorch peer in bench/ (PIL + torch, same
 * weights from the same TF.js files), in one run.
 *
 * Other jobs share the CPU and their load changes by the minute, so the images are
 * split into chunks and the engines take turns on each chunk (the order rotates);
 * each engine's total time over all chunks gives its images/second.
 *
 * Env: COURSE_ASSETS_DIR (default <repo>/../shared/assets), BENCH_LIMIT (images),
 * BENCH_CHUNK (images per turn, default 250), BENCH_PYTHON (default /usr/bin/python3),
 * BENCH_TORCH_WORKERS (PyTorch DataLoader worker counts to try, default "0,2"; 0 = inline decode),
 * BENCH_MODELS (default "v1:224,v2:224,v2:288").
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { courseAssetsDir } from "../../../tooling/course-assets";
import { Backbone } from "./backbone";

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, "../../..");
// A dev-only benchmark, so it may read the assets beside the repository; product code never does.
const assets = courseAssetsDir();
const modelDir = path.join(assets, "models", "mobilenet_v1_0.75_224");
const v2Dir = path.join(assets, "models", "mobilenet_v2_1.0_features");
const imageDir = path.join(assets, "datasets", "dogscats-kaggle-sample", "train");
const peer = path.join(repoRoot, "bench", "torch_mobilenet_features.py");
const onnxPeer = path.join(repoRoot, "bench", "torch_onnx_features.py");
// Which comparisons: v1 at 224 (TF.js weights), v2 at 224 and 288 (ONNX weights). BENCH_MODELS="v2:224,v2:288" for some.
const runs = (process.env.BENCH_MODELS ?? "v1:224,v2:224,v2:288").split(",");
const python = process.env.BENCH_PYTHON ?? "/usr/bin/python3";
const limit = Number(process.env.BENCH_LIMIT ?? 0);
const chunk = Number(process.env.BENCH_CHUNK ?? 250);
const torchWorkers = (process.env.BENCH_TORCH_WORKERS ?? "0,2").split(",").map(Number);

if (!fs.existsSync(modelDir) || !fs.existsSync(imageDir) || !fs.existsSync(v2Dir)) {
  console.error(`bench: assets not found (${modelDir}, ${v2Dir}, ${imageDir}); set COURSE_ASSETS_DIR`);
  process.exit(1);
}

let files = fs.readdirSync(imageDir).filter((f) => !f.startsWith(".")).sort().map((f) => path.join(imageDir, f));
if (limit > 0) files = files.slice(0, limit);
console.log(`bench: ${files.length} images from ${imageDir}, turns of ${chunk}; ${os.cpus().length} CPU(s), load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);

/** A PyTorch peer as a long-lived process that times chunks on request. */
async function startPeer(args: string[]): Promise<{ torch: string; run: (start: number, count: number, workers: number) => Promise<number>; stop: () => void }> {
  if (limit > 0) args.push("--limit", String(limit));
  const child = spawn(python, args, { stdio: ["pipe", "pipe", "inherit"] });
  const lines = readline.createInterface({ input: child.stdout });
  const iterator = lines[Symbol.asyncIterator]();
  const next = async (): Promise<unknown> => {
    const r = await iterator.next();
    if (r.done) throw new Error(`PyTorch peer exited (${python} ${args.join(" ")})`);
    return JSON.parse(r.value);
  };
  const ready = z.object({ ready: z.literal(true), images: z.number(), torch: z.string() }).parse(await next());
  if (ready.images !== files.length) throw new Error(`peer sees ${ready.images} images, we see ${files.length}`);
  return {
    torch: ready.torch,
    run: async (start, count, workers) => {
      child.stdin.write(`run ${start} ${count} ${workers}\n`);
      return z.object({ seconds: z.number() }).parse(await next()).seconds;
    },
    stop: () => {
      child.stdin.end();
    },
  };
}

/** Ours and the peer take turns on chunks of images; returns ours / best PyTorch. */
async function compare(title: string, backbone: Backbone, peerArgs: string[]): Promise<number> {
  await backbone.extractFeatures(files.slice(0, 8), { cache: false }); // warm-up, like the peer's
  const peerProc = await startPeer(peerArgs);
  const engines: { name: string; run: (start: number, count: number) => Promise<number>; seconds: number }[] = [
    {
      name: `ours    (${backbone.description}, sharp + onnxruntime)`,
      seconds: 0,
      run: async (start, count) => {
        const t0 = performance.now();
        const feats = await backbone.extractFeatures(files.slice(start, start + count), { cache: false });
        if (feats.some((f) => f.length !== backbone.featureDim)) throw new Error("ours: wrong feature shape");
        return (performance.now() - t0) / 1000;
      },
    },
    ...torchWorkers.map((w) => ({
      name: `pytorch (torch ${peerProc.torch}, 2 threads, PIL, ${w ? `DataLoader ${w} workers` : "inline decode"})`,
      seconds: 0,
      run: (start: number, count: number) => peerProc.run(start, count, w),
    })),
  ];
  console.log(`\n${title}`);
  let turn = 0;
  for (let start = 0; start < files.length; start += chunk, turn++) {
    const count = Math.min(chunk, files.length - start);
    for (let k = 0; k < engines.length; k++) {
      const e = engines[(k + turn) % engines.length]!;
      e.seconds += await e.run(start, count);
    }
    process.stderr.write(`  turn ${turn + 1}: ${start + count}/${files.length} images, load average ${os.loadavg()[0]!.toFixed(2)}\n`);
  }
  peerProc.stop();
  for (const e of engines) console.log(`${e.name}: ${(files.length / e.seconds).toFixed(1)} img/s (${e.seconds.toFixed(1)} s)`);
  const ours = files.length / engines[0]!.seconds;
  const best = Math.max(...engines.slice(1).map((e) => files.length / e.seconds));
  const ratio = ours / best;
  console.log(`ratio ours / best pytorch: ${ratio.toFixed(2)}x (target >= 1.5x)`);
  return ratio;
}

const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "course-bench-"));
const summary: string[] = [];
try {
  for (const run of runs) {
    const [which, sizeText] = run.split(":");
    const size = Number(sizeText ?? 224);
    const backbone =
      which === "v1"
        ? await Backbone.load("mobilenet_v1_0.75_224", { from: modelDir, cacheDir })
        : await Backbone.load("mobilenet_v2_1.0", { from: v2Dir, cacheDir, imageSize: size });
    const peerArgs =
      which === "v1"
        ? [peer, "--model-dir", modelDir, "--images", imageDir, "--threads", "2", "--serve"]
        : [onnxPeer, "--model", path.join(v2Dir, "model.onnx"), "--size", String(size), "--images", imageDir, "--threads", "2", "--serve"];
    try {
      const ratio = await compare(`== ${backbone.description}: ${files.length} images ==`, backbone, peerArgs);
      summary.push(`${backbone.spec.id} at ${size}: ${ratio.toFixed(2)}x`);
      if (ratio < 1.5) process.exitCode = 1;
    } finally {
      await backbone.close();
    }
  }
  console.log(`\nsummary (ours / best PyTorch, floor 1.5x): ${summary.join(", ")}`);
} finally {
  fs.rmSync(cacheDir, { recursive: true, force: true });
}
