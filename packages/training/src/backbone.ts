import { createHash } from "node:crypto";
import fsSync from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { convertLayersModel, CONVERTER_VERSION } from "./convert";
import type { Backend, FeatureEngine } from "./engine";
import { createFeatureEngine } from "./select-engine";
import { decodeResized, RESIZE_POLICY, toTensor } from "./images";
import { decodeWeights } from "./layersModel";
import { checkAgainstModel, inputTransform, type InputTransform } from "./manifest";
import { cacheRoot, loadModelFiles, writeFileAtomic, type LoadModelOptions, type ModelFiles } from "./modelStore";
import { exposeFeatures } from "./onnxCut";
import type { BackboneSpec } from "./registry";

/** A frozen pretrained network: pooled features for fine-tuning and ImageNet classification. */

export interface ExtractProgress {
  done: number;
  total: number;
  cached: number;
  imagesPerSecond: number;
  etaSeconds: number;
}

export type View = "original" | "mirrored";

/** Pixels per onnxruntime call: 32 images at 224x224 (the v1 batch that was measured fastest). */
export const MAX_RUN_PIXELS = 32 * 224 * 224;

export interface ExtractOptions {
  batchSize?: number;
  /** At most this many images x pixels per inference call (default MAX_RUN_PIXELS). */
  maxRunPixels?: number;
  /** Read and write the on-disk feature cache (default true). */
  cache?: boolean;
  /** Mirror each image left-right after resizing (augmentation, test-time augmentation). */
  flip?: boolean;
  onProgress?: (p: ExtractProgress) => void;
}

export interface ClassScore {
  index: number;
  label: string;
  probability: number;
}

export interface BackboneLoadOptions extends LoadModelOptions {
  /** "auto" (default; CUDA when an NVIDIA GPU is present), "cpu" or "cuda". */
  device?: "auto" | "cpu" | "cuda";
  /** Square input size in pixels; needs a backbone whose manifest says height/width "dynamic" unless it is the trained size. */
  imageSize?: number;
}

export class Backbone {
  private constructor(
    readonly spec: BackboneSpec,
    readonly files: ModelFiles,
    private readonly engine: FeatureEngine,
    readonly featureDim: number,
    readonly outputDim: number,
    private readonly cacheDir: string,
    /** [width, height] the images are resized to. */
    readonly inputSize: [number, number],
    readonly transform: InputTransform,
    /** How the features were obtained, e.g. "ONNX cut at GlobalAveragePool output 464". */
    readonly featureSource: string,
  ) {}

  /** What ran, in words: "mobilenet_v2_1.0 at 288x288 on onnxruntime-cpu". */
  get description(): string {
    return `${this.spec.id} at ${this.inputSize[0]}x${this.inputSize[1]} on ${this.engine.backend}`;
  }

  get id(): string {
    return this.spec.id;
  }

  /** Which engine runs the network, e.g. "onnxruntime-cpu". */
  get backend(): Backend {
    return this.engine.backend;
  }

  get backendNote(): string | undefined {
    return this.engine.note;
  }

  get labels(): string[] | undefined {
    return this.files.labels;
  }

  /** Identifies weights + conversion + preprocessing: the key of cached features. */
  get featureKey(): string {
    const size = `${this.inputSize[0]}x${this.inputSize[1]}`;
    return `${this.spec.id}-${this.files.contentHash.slice(0, 16)}-c${CONVERTER_VERSION}-${RESIZE_POLICY}-${size}`;
  }

  static async load(id: string, opts: BackboneLoadOptions = {}): Promise<Backbone> {
    const files = await loadModelFiles(id, opts);
    const root = cacheRoot(opts.cacheDir);
    const m = files.manifest;
    const trained = m.input.width === "dynamic" ? m.input.trainedAt : m.input.width;
    const dynamic = m.input.width === "dynamic" && m.input.height === "dynamic";
    const size = opts.imageSize ?? trained;
    if (opts.imageSize !== undefined && (!Number.isInteger(size) || size < 32 || size > 1024)) throw new Error(`image size ${size}: expected a whole number of pixels from 32 to 1024`);
    if (size !== trained && !dynamic) {
      throw new Error(`${id} takes a fixed ${trained}x${trained} input, so it cannot run at ${size}x${size}; image sizes other than the trained one need a backbone whose manifest says height/width "dynamic" (e.g. mobilenet_v2_1.0)`);
    }
    const inputSize: [number, number] = [size, size];
    if (files.format === "onnx") {
      const where = files.source;
      const exposed = (() => {
        try {
          return exposeFeatures(files.onnx, m.output.name);
        } catch (e) {
          throw new Error(`${where}: manifest field output.name: ${(e as Error).message}`);
        }
      })();
      const manifest = { ...m, output: { ...m.output, name: exposed.output } };
      const io = { input: m.input.name, outputs: { features: exposed.output, ...(m.classifier ? { output: m.classifier.output } : {}) } };
      let engine = await createFeatureEngine(exposed.onnx, files, opts.device, undefined, io);
      if (engine.info) {
        if (m.input.name === "auto" && engine.info.inputs.length === 1) {
          // A built-in manifest for a public file may leave the input's name to the file.
          await engine.close();
          const named = { ...manifest, input: { ...manifest.input, name: engine.info.inputs[0]!.name } };
          engine = await createFeatureEngine(exposed.onnx, files, opts.device, undefined, { ...io, input: named.input.name });
          checkAgainstModel(named, engine.info!, where);
        } else {
          try {
            checkAgainstModel(manifest, engine.info, where);
          } catch (e) {
            await engine.close();
            throw e;
          }
        }
      }
      // The feature width: from the model's declared shape when it gives one, else from one run.
      const probe = new Float32Array(3 * size * size);
      const shape = m.input.layout === "NHWC" ? [1, size, size, 3] : [1, 3, size, size];
      const out = await engine.run(probe, shape, m.classifier ? ["features", "output"] : ["features"]).catch(async (e: Error) => {
        await engine.close();
        throw new Error(`${where}: the model does not run on a ${shape.join("x")} ${m.input.layout} input as its manifest describes (${e.message.split("\n")[0]})`);
      });
      const featureDim = out.features!.length;
      const source = exposed.cut ? `ONNX cut at "${exposed.output}" (pooled features)` : `ONNX output "${exposed.output}"`;
      return new Backbone(files.spec, files, engine, featureDim, out.output?.length ?? 0, root, inputSize, inputTransform(m), source);
    }
    const onnxPath = path.join(root, "onnx", `${id}-${files.contentHash.slice(0, 16)}-c${CONVERTER_VERSION}.onnx`);
    let onnx: Uint8Array | undefined = await fs.readFile(onnxPath).then((b) => new Uint8Array(b), () => undefined);
    let featureDim: number;
    let outputDim: number;
    const metaPath = `${onnxPath}.json`;
    const meta = onnx ? await fs.readFile(metaPath, "utf8").then((t) => JSON.parse(t) as { featureDim: number; outputDim: number }, () => undefined) : undefined;
    if (onnx && meta) {
      ({ featureDim, outputDim } = meta);
    } else {
      const weights = decodeWeights(files.modelJson.weightsManifest, files.groups);
      const converted = convertLayersModel(files.modelJson, weights, { featureLayer: files.spec.featureLayer, includeOutput: true });
      onnx = converted.onnx;
      featureDim = converted.featureDim!;
      outputDim = converted.outputDim!;
      await writeFileAtomic(onnxPath, onnx);
      await writeFileAtomic(metaPath, JSON.stringify({ featureDim, outputDim }));
    }
    const engine = await createFeatureEngine(onnx, files, opts.device);
    return new Backbone(files.spec, files, engine, featureDim, outputDim, root, inputSize, inputTransform(m), `TF.js layer ${files.spec.featureLayer}, converted to ONNX`);
  }

  private featurePath(sha1: string, flip: boolean): string {
    return path.join(this.cacheDir, "features", this.featureKey + (flip ? "-mirrored" : ""), sha1.slice(0, 2), `${sha1}.f32`);
  }

  /** Pooled features for each file, in order (see extractViews). */
  async extractFeatures(files: readonly string[], opts: ExtractOptions = {}): Promise<Float32Array[]> {
    const [only] = await this.extractViews(files, [opts.flip ? "mirrored" : "original"], opts);
    return only!;
  }

  /**
   * Pooled features of each file for each view ("mirrored" = flipped left-right),
   * decoding every image once. Decoding (sharp, on libuv's thread pool) runs ahead
   * of inference (in a worker thread) so both overlap; cached features are reused.
   */
  async extractViews(files: readonly string[], views: readonly View[], opts: Omit<ExtractOptions, "flip"> = {}): Promise<Float32Array[][]> {
    const batchSize = opts.batchSize ?? 32;
    const useCache = opts.cache ?? true;
    const [w, h] = this.inputSize;
    const results: Float32Array[][] = views.map(() => new Array<Float32Array>(files.length));
    const nBatches = Math.ceil(files.length / batchSize);
    let cached = 0;
    let done = 0;
    const started = performance.now();

    interface Unit {
      i: number;
      v: number;
      sha1: string;
      rgb: Uint8Array;
    }
    const prepare = async (b: number): Promise<{ count: number; units: Unit[] }> => {
      const idx = Array.from({ length: Math.min(batchSize, files.length - b * batchSize) }, (_, k) => b * batchSize + k);
      const perFile = await Promise.all(
        idx.map(async (i): Promise<Unit[]> => {
          const file = files[i]!;
          const bytes = await fs.readFile(file).catch((e: Error) => {
            throw new Error(`cannot read image ${file}: ${e.message}`);
          });
          const sha1 = createHash("sha1").update(bytes).digest("hex");
          const missing: number[] = [];
          views.forEach((view, v) => {
            // Synchronous on purpose: tiny files, and libuv's thread pool is kept for the decoders.
            const hit = useCache ? readIfExists(this.featurePath(sha1, view === "mirrored")) : undefined;
            if (hit && hit.length === this.featureDim * 4) {
              const f = new Float32Array(this.featureDim);
              new Uint8Array(f.buffer).set(hit);
              results[v]![i] = f;
            } else missing.push(v);
          });
          if (missing.length === 0) {
            cached++;
            return [];
          }
          const rgb = await decodeResized(bytes, w, h).catch((e: Error) => {
            throw new Error(`cannot decode image ${file}: ${e.message}`);
          });
          return missing.map((v) => ({ i, v, sha1, rgb: views[v] === "mirrored" ? mirror(rgb, w, h) : rgb }));
        }),
      );
      return { count: idx.length, units: perFile.flat() };
    };

    // Decode up to `depth` batches ahead and keep up to two batches queued on the inference worker.
    const depth = 3;
    const queue: Promise<Awaited<ReturnType<typeof prepare>>>[] = [];
    const startPrepare = (b: number) => {
      const p = prepare(b);
      p.catch(() => undefined); // surfaced when awaited; avoids unhandled rejections meanwhile
      queue.push(p);
    };
    for (let b = 0; b < Math.min(depth, nBatches); b++) startPrepare(b);
    const inflight: Promise<void>[] = [];
    const report = (n: number) => {
      done += n;
      if (opts.onProgress) {
        const secs = (performance.now() - started) / 1000;
        const rate = done / Math.max(secs, 1e-6);
        opts.onProgress({ done, total: files.length, cached, imagesPerSecond: rate, etaSeconds: (files.length - done) / rate });
      }
    };
    for (let b = 0; b < nBatches; b++) {
      const { count, units } = await queue.shift()!;
      if (b + depth < nBatches) startPrepare(b + depth);
      if (units.length === 0) {
        report(count);
        continue;
      }
      // onnxruntime's memory grows with batch x pixels (MobileNet v2's expanded layers at 288 px take ~8 MB per image
      // each): run at most maxRunPixels per call, so two views at 288 stay within a grading job's memory.
      const perRun = Math.max(1, Math.floor((opts.maxRunPixels ?? MAX_RUN_PIXELS) / (w * h)));
      const runs: Promise<void>[] = [];
      for (let start = 0; start < units.length; start += perRun) {
        const part = units.slice(start, start + perRun);
        const input = new Float32Array(part.length * 3 * w * h);
        part.forEach((u, k) => toTensor(u.rgb, w, h, this.transform, input, k));
        runs.push(
          this.engine.run(input, this.dims(part.length), ["features"]).then((out) => {
            const feats = out.features!;
            part.forEach((u, k) => {
              const f = feats.slice(k * this.featureDim, (k + 1) * this.featureDim);
              results[u.v]![u.i] = f;
              if (useCache) writeCacheFile(this.featurePath(u.sha1, views[u.v] === "mirrored"), f);
            });
          }),
        );
      }
      const job = Promise.all(runs).then(() => report(count));
      job.catch(() => undefined);
      inflight.push(job);
      if (inflight.length >= 2) await inflight.shift();
    }
    await Promise.all(inflight);
    return results;
  }

  private dims(n: number): number[] {
    const [w, h] = this.inputSize;
    return this.transform.layout === "NHWC" ? [n, h, w, 3] : [n, 3, h, w];
  }

  /** Stop the inference worker (the process can also just exit). */
  async close(): Promise<void> {
    await this.engine.close();
  }

  /** ImageNet top-k with the full pretrained network. */
  async classify(file: string, topK = 5): Promise<ClassScore[]> {
    const labels = this.files.labels;
    if (!labels && this.files.format === "tfjs-layers") {
      throw new Error(`${this.spec.id}: no labels file (${this.spec.labels?.file ?? "none"}) next to model.json in ${this.files.source}; classify needs it`);
    }
    const classifier = this.files.manifest.classifier;
    if (!classifier) throw new Error(`${this.spec.id}: the model has no ImageNet classifier (its manifest's classifier is empty); classify needs one, e.g. mobilenet_v1_0.75_224`);
    const [w, h] = this.inputSize;
    const rgb = await decodeResized(file, w, h).catch((e: Error) => {
      throw new Error(`cannot decode image ${file}: ${e.message}`);
    });
    const input = new Float32Array(3 * w * h);
    toTensor(rgb, w, h, this.transform, input, 0);
    const out = (await this.engine.run(input, this.dims(1), ["output"])).output!;
    const probs = classifier.logits ? softmax(out) : out;
    return Array.from(probs, (p, index) => ({ index, label: labels?.[index] ?? `class ${index}`, probability: p }))
      .sort((a, b) => b.probability - a.probability)
      .slice(0, topK);
  }
}

/** Left-right mirror of an HWC RGB image. */
export function mirror(rgb: Uint8Array, width: number, height: number): Uint8Array {
  const out = new Uint8Array(rgb.length);
  for (let y = 0; y < height; y++) {
    const row = y * width * 3;
    for (let x = 0; x < width; x++) {
      const src = row + x * 3;
      const dst = row + (width - 1 - x) * 3;
      out[dst] = rgb[src]!;
      out[dst + 1] = rgb[src + 1]!;
      out[dst + 2] = rgb[src + 2]!;
    }
  }
  return out;
}

function readIfExists(file: string): Buffer | undefined {
  try {
    return fsSync.readFileSync(file);
  } catch {
    return undefined;
  }
}

const madeDirs = new Set<string>();
function writeCacheFile(file: string, f: Float32Array): void {
  const dir = path.dirname(file);
  if (!madeDirs.has(dir)) {
    fsSync.mkdirSync(dir, { recursive: true });
    madeDirs.add(dir);
  }
  const tmp = `${file}.${process.pid}.tmp`;
  fsSync.writeFileSync(tmp, new Uint8Array(f.buffer, f.byteOffset, f.byteLength));
  fsSync.renameSync(tmp, file);
}

export function softmax(x: ArrayLike<number>): Float32Array {
  let max = -Infinity;
  for (let i = 0; i < x.length; i++) max = Math.max(max, x[i]!);
  const out = new Float32Array(x.length);
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += out[i] = Math.exp(x[i]! - max);
  for (let i = 0; i < x.length; i++) out[i]! /= sum;
  return out;
}
