import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { expectedGroupBytes, parseModelJson, type ModelJson } from "./layersModel";
import { manifestForLayersSpec, parseManifest, type BackboneManifest } from "./manifest";
import { backboneSpec, type BackboneSpec } from "./registry";

/**
 * Where pretrained models come from: a local folder, an http(s) URL (downloaded
 * into the on-disk cache with integrity checks) or the cache itself.
 */

export const MODELS_FROM_ENV = "COURSE_MODELS_FROM";
export const CACHE_ENV = "COURSE_MODEL_CACHE";

export function cacheRoot(explicit?: string): string {
  return explicit ?? process.env[CACHE_ENV] ?? path.join(os.homedir(), ".cache", "course-training");
}

/** A resolved backbone: a TF.js layers model (model.json + shards) or an ONNX file, with the manifest that feeds it. */
export type ModelFiles = LayersModelFiles | OnnxModelFiles;

export interface OnnxModelFiles {
  format: "onnx";
  spec: BackboneSpec;
  manifest: BackboneManifest;
  source: string;
  dir: string;
  /** The ONNX file as published (the loader may cut it at the pooled features before running it). */
  onnx: Uint8Array;
  labels?: string[];
  /** sha256 over the manifest and the ONNX bytes. */
  contentHash: string;
}

export interface LayersModelFiles {
  format: "tfjs-layers";
  manifest: BackboneManifest;
  spec: BackboneSpec;
  /** Where the files were read from (folder or URL). */
  source: string;
  /** Folder holding model.json and shards (a cache folder for downloads). */
  dir: string;
  modelJson: ModelJson;
  modelJsonText: string;
  /** Concatenated shard bytes per manifest group. */
  groups: Uint8Array[];
  labels?: string[];
  /** sha256 over model.json and all weight bytes: identifies these exact weights. */
  contentHash: string;
}

const integritySchema = z.object({
  id: z.string(),
  source: z.string(),
  downloadedAt: z.string(),
  files: z.record(z.string(), z.object({ size: z.number().int().nonnegative(), sha256: z.string().regex(/^[0-9a-f]{64}$/) })),
});
type Integrity = z.infer<typeof integritySchema>;

const labelsSchema = z.object({ labels: z.array(z.string()).min(1) });

export class ModelUnavailableError extends Error {
  override name = "ModelUnavailableError";
}

function isUrl(s: string): boolean {
  return /^https?:\/\//i.test(s);
}

function sha256(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

function safeRelative(p: string, where: string): string {
  const norm = path.posix.normalize(p);
  if (norm.startsWith("../") || norm === ".." || path.posix.isAbsolute(norm) || norm.includes("\0")) {
    throw new Error(`${where}: weight path "${p}" escapes the model folder`);
  }
  return norm;
}

export interface LoadModelOptions {
  /** Folder holding model.json, a path to model.json, or an http(s) URL of model.json. */
  from?: string;
  cacheDir?: string;
}

function missingHelp(spec: BackboneSpec): string {
  return (
    `Provide it with the env var ${MODELS_FROM_ENV}=<folder or https URL holding ${spec.id}/${spec.format === "onnx" ? "manifest.json and the model file" : "model.json"}>, ` +
    `or pass { from: "<folder or URL of model.json>" } (CLI: --from <folder|url>).` +
    (spec.folderNames?.length ? ` A ${MODELS_FROM_ENV} folder may also name it ${spec.folderNames.join(" or ")}.` : "") +
    (spec.format === "onnx" && spec.defaultUrl ? ` Public source: ${spec.defaultUrl} (--from <that URL>).` : "")
  );
}

/** Resolve a backbone's files: explicit `from`, then COURSE_MODELS_FROM, then the cache, then the default URL. */
export async function loadModelFiles(id: string, opts: LoadModelOptions = {}): Promise<ModelFiles> {
  const spec = backboneSpec(id);
  const root = cacheRoot(opts.cacheDir);
  let from = opts.from;
  if (!from && process.env[MODELS_FROM_ENV]) {
    const base = process.env[MODELS_FROM_ENV];
    if (isUrl(base)) {
      from = new URL(`${spec.id}/${spec.format === "onnx" ? "manifest.json" : "model.json"}`, base.endsWith("/") ? base : `${base}/`).href;
    } else {
      // The id's folder, else another name the folder is known by (the shared assets hold mobilenet_v2_1.0_features).
      const names = [spec.id, ...(spec.folderNames ?? [])];
      let found: string | undefined;
      for (const n of names) if (!found && (await exists(path.join(base, n)))) found = path.join(base, n);
      from = found ?? path.join(base, spec.id);
    }
  }
  if (from) {
    if (isUrl(from)) {
      return /\.onnx$|manifest\.json$/i.test(new URL(from).pathname) || spec.format === "onnx" ? downloadOnnxToCache(spec, from, root) : downloadToCache(spec, from, root);
    }
    return readLocal(spec, from);
  }

  const cached = cacheDirFor(root, spec.id);
  if (await exists(path.join(cached, "integrity.json"))) return readCachedAny(spec, cached);
  if (!spec.defaultUrl) {
    throw new ModelUnavailableError(
      `Model "${spec.id}" is missing: no --from/${MODELS_FROM_ENV} given, nothing cached at ${cached}, and it has no public default URL. ${missingHelp(spec)}`,
    );
  }
  try {
    return await (spec.format === "onnx" ? downloadOnnxToCache(spec, spec.defaultUrl, root) : downloadToCache(spec, spec.defaultUrl, root));
  } catch (e) {
    throw new ModelUnavailableError(
      `Model "${spec.id}" is missing: nothing cached at ${cached} and downloading ${spec.defaultUrl} failed (${(e as Error).message}). ${missingHelp(spec)}`,
    );
  }
}

export function cacheDirFor(root: string, id: string): string {
  return path.join(root, "models", id);
}

async function exists(p: string): Promise<boolean> {
  try {
    await fs.access(p);
    return true;
  } catch {
    return false;
  }
}

async function readLabels(spec: BackboneSpec, dir: string): Promise<string[] | undefined> {
  if (!spec.labels) return undefined;
  const file = path.join(dir, spec.labels.file);
  if (!(await exists(file))) return undefined;
  const parsed = labelsSchema.safeParse(JSON.parse(await fs.readFile(file, "utf8")));
  if (!parsed.success) throw new Error(`${file}: expected {"labels": ["name", ...]}`);
  return parsed.data.labels;
}

function checkGroupSizes(modelJson: ModelJson, sizes: number[][], where: string): void {
  const expected = expectedGroupBytes(modelJson.weightsManifest);
  modelJson.weightsManifest.forEach((g, i) => {
    const got = (sizes[i] ?? []).reduce((a, b) => a + b, 0);
    if (got !== expected[i]) {
      throw new Error(
        `${where}: weights ${g.paths.join(" + ")} hold ${got} bytes but model.json's weightsManifest needs ${expected[i]} (truncated or wrong file)`,
      );
    }
  });
}

function finish(spec: BackboneSpec, source: string, dir: string, text: string, modelJson: ModelJson, shards: Uint8Array[][], labels?: string[]): LayersModelFiles {
  const groups = shards.map((parts) => (parts.length === 1 ? parts[0]! : new Uint8Array(Buffer.concat(parts))));
  const h = createHash("sha256").update(text);
  for (const g of groups) h.update(g);
  return { format: "tfjs-layers", manifest: manifestForLayersSpec(spec), spec, source, dir, modelJson, modelJsonText: text, groups, labels, contentHash: h.digest("hex") };
}

async function readLocalFolder(spec: BackboneSpec, from: string): Promise<LayersModelFiles> {
  const jsonPath = from.endsWith(".json") ? from : path.join(from, "model.json");
  const dir = path.dirname(jsonPath);
  if (!(await exists(jsonPath))) {
    throw new ModelUnavailableError(`Model "${spec.id}" is missing: ${jsonPath} does not exist. ${missingHelp(spec)}`);
  }
  const text = await fs.readFile(jsonPath, "utf8");
  const modelJson = parseModelJson(text, jsonPath);
  const shards: Uint8Array[][] = [];
  for (const g of modelJson.weightsManifest) {
    const parts: Uint8Array[] = [];
    for (const p of g.paths) {
      const file = path.join(dir, safeRelative(p, jsonPath));
      if (!(await exists(file))) throw new ModelUnavailableError(`Model "${spec.id}": weight file ${file} (listed in ${jsonPath}) is missing`);
      parts.push(new Uint8Array(await fs.readFile(file)));
    }
    shards.push(parts);
  }
  checkGroupSizes(modelJson, shards.map((s) => s.map((b) => b.length)), dir);
  return finish(spec, dir, dir, text, modelJson, shards, await readLabels(spec, dir));
}

/** Reads every file a cache folder's integrity.json records, checking size and sha256; a mismatch names the file. */
async function verifiedCacheFiles(spec: BackboneSpec, dir: string): Promise<{ integrity: Integrity; integrityPath: string; bytes: Map<string, Uint8Array> }> {
  const integrityPath = path.join(dir, "integrity.json");
  const integrity: Integrity = integritySchema.parse(JSON.parse(await fs.readFile(integrityPath, "utf8")));
  const bytes = new Map<string, Uint8Array>();
  for (const [name, want] of Object.entries(integrity.files)) {
    const file = path.join(dir, safeRelative(name, integrityPath));
    const data = await fs.readFile(file).catch(() => undefined);
    const problem = !data
      ? "is missing"
      : data.length !== want.size
        ? `has ${data.length} bytes, expected ${want.size}`
        : sha256(data) !== want.sha256
          ? `has sha256 ${sha256(data)}, expected ${want.sha256}`
          : undefined;
    if (problem || !data) {
      throw new Error(
        `cached model ${spec.id} is corrupt: ${file} ${problem ?? "is missing"}. Delete ${dir} and load again (it will be downloaded from ${integrity.source}).`,
      );
    }
    bytes.set(name, new Uint8Array(data));
  }
  return { integrity, integrityPath, bytes };
}

async function readCached(spec: BackboneSpec, dir: string): Promise<LayersModelFiles> {
  const { integrity, integrityPath, bytes } = await verifiedCacheFiles(spec, dir);
  const text = new TextDecoder().decode(bytes.get("model.json"));
  const modelJson = parseModelJson(text, path.join(dir, "model.json"));
  const shards = modelJson.weightsManifest.map((g) =>
    g.paths.map((p) => {
      const b = bytes.get(safeRelative(p, dir));
      if (!b) throw new Error(`cached model ${spec.id}: ${p} is not recorded in ${integrityPath}; delete ${dir} and load again`);
      return b;
    }),
  );
  checkGroupSizes(modelJson, shards.map((s) => s.map((b) => b.length)), dir);
  return finish(spec, integrity.source, dir, text, modelJson, shards, await readLabels(spec, dir));
}

async function fetchBytes(url: string): Promise<Uint8Array> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url} answered ${res.status} ${res.statusText}`);
  return new Uint8Array(await res.arrayBuffer());
}

/**
 * Download model.json, its shards and labels into a temporary folder, check sizes
 * against the manifest, record sha256 of every file, then rename the folder into place.
 * A complete cached copy from the same URL is reused (and re-verified) instead.
 */
async function downloadToCache(spec: BackboneSpec, url: string, root: string): Promise<LayersModelFiles> {
  const finalDir = cacheDirFor(root, spec.id);
  const integrityPath = path.join(finalDir, "integrity.json");
  if (await exists(integrityPath)) {
    const recorded = integritySchema.safeParse(JSON.parse(await fs.readFile(integrityPath, "utf8")));
    if (recorded.success && recorded.data.source === url && !recorded.data.files["manifest.json"]) return readCached(spec, finalDir);
  }
  await fs.mkdir(path.dirname(finalDir), { recursive: true });
  const tmp = await fs.mkdtemp(path.join(path.dirname(finalDir), `.${spec.id}.partial-`));
  try {
    const files: Integrity["files"] = {};
    const save = async (name: string, data: Uint8Array) => {
      const file = path.join(tmp, name);
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(file, data);
      files[name] = { size: data.length, sha256: sha256(data) };
    };
    const jsonBytes = await fetchBytes(url);
    const text = new TextDecoder().decode(jsonBytes);
    const modelJson = parseModelJson(text, url);
    await save("model.json", jsonBytes);
    const shards: Uint8Array[][] = [];
    for (const g of modelJson.weightsManifest) {
      const parts: Uint8Array[] = [];
      for (const p of g.paths) {
        const rel = safeRelative(p, url);
        const data = await fetchBytes(new URL(rel, url).href);
        await save(rel, data);
        parts.push(data);
      }
      shards.push(parts);
    }
    checkGroupSizes(modelJson, shards.map((s) => s.map((b) => b.length)), url);
    if (spec.labels) {
      const labelsUrl = new URL(spec.labels.file, url).href;
      const res = await fetch(labelsUrl);
      if (res.ok) await save(spec.labels.file, new Uint8Array(await res.arrayBuffer()));
    }
    const integrity: Integrity = { id: spec.id, source: url, downloadedAt: new Date().toISOString(), files };
    await fs.writeFile(path.join(tmp, "integrity.json"), JSON.stringify(integrity, null, 2));
    await fs.rm(finalDir, { recursive: true, force: true });
    await fs.rename(tmp, finalDir);
  } catch (e) {
    await fs.rm(tmp, { recursive: true, force: true });
    throw e;
  }
  return readCached(spec, finalDir);
}

/** Write a file atomically (temp file + rename) so readers never see half a file. */
export async function writeFileAtomic(file: string, data: Uint8Array | string): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await fs.writeFile(tmp, data);
  await fs.rename(tmp, file);
}

/**
 * A local `from`: a folder (manifest.json beside an ONNX file or a TF.js model.json, else today's model.json), a
 * manifest.json, a model.json or an .onnx file (described by the manifest.json beside it, else the backbone's own).
 */
async function readLocal(spec: BackboneSpec, from: string): Promise<ModelFiles> {
  const stat = await fs.stat(from).catch(() => undefined);
  if (!stat) {
    // Name the file that was looked for (a path without an extension was meant as a folder).
    const wanted = /\.(json|onnx)$/i.test(from) ? from : path.join(from, spec.format === "onnx" ? "manifest.json" : "model.json");
    throw new ModelUnavailableError(`Model "${spec.id}" is missing: ${wanted} does not exist. ${missingHelp(spec)}`);
  }
  if (stat.isDirectory()) {
    if (await exists(path.join(from, "manifest.json"))) return readManifestModel(spec, path.join(from, "manifest.json"));
    if (spec.format === "onnx" && !(await exists(path.join(from, "model.json")))) {
      throw new ModelUnavailableError(`Model "${spec.id}" is missing: ${path.join(from, "manifest.json")} does not exist (an ONNX backbone needs its manifest). ${missingHelp(spec)}`);
    }
    return readLocalFolder(spec, from);
  }
  if (/manifest\.json$/i.test(from)) return readManifestModel(spec, from);
  if (/\.onnx$/i.test(from)) {
    const beside = path.join(path.dirname(from), "manifest.json");
    if (await exists(beside)) {
      const m = parseManifest(await fs.readFile(beside, "utf8"), beside);
      if (m.file === path.basename(from)) return readManifestModel(spec, beside);
    }
    if (!spec.defaultManifest) throw new Error(`${from}: no manifest.json beside it describes this ONNX file, and ${spec.id} has no built-in manifest`);
    return onnxFiles(spec, { ...spec.defaultManifest, file: path.basename(from) }, from, path.dirname(from), new Uint8Array(await fs.readFile(from)));
  }
  return readLocalFolder(spec, from);
}

async function readManifestModel(spec: BackboneSpec, manifestPath: string): Promise<ModelFiles> {
  const manifest = parseManifest(await fs.readFile(manifestPath, "utf8"), manifestPath);
  const dir = path.dirname(manifestPath);
  const file = path.join(dir, safeRelative(manifest.file, manifestPath));
  if (manifest.format === "tfjs-layers") {
    const files = await readLocalFolder({ ...spec, featureLayer: manifest.featureLayer! }, file);
    return { ...files, manifest };
  }
  if (!(await exists(file))) throw new ModelUnavailableError(`Model "${spec.id}": ${file} (named by ${manifestPath} field file) is missing`);
  return onnxFiles(spec, manifest, dir, dir, new Uint8Array(await fs.readFile(file)));
}

async function onnxFiles(spec: BackboneSpec, manifest: BackboneManifest, source: string, dir: string, onnx: Uint8Array): Promise<OnnxModelFiles> {
  let labels: string[] | undefined;
  const labelsFile = manifest.classifier?.labels;
  if (labelsFile) {
    const file = path.join(dir, safeRelative(labelsFile, dir));
    if (await exists(file)) {
      const parsed = labelsSchema.safeParse(JSON.parse(await fs.readFile(file, "utf8")));
      if (!parsed.success) throw new Error(`${file}: expected {"labels": ["name", ...]}`);
      labels = parsed.data.labels;
    }
  }
  const contentHash = createHash("sha256").update(JSON.stringify(manifest)).update(onnx).digest("hex");
  return { format: "onnx", spec, manifest, source, dir, onnx, labels, contentHash };
}

/** A cache folder holds either a TF.js model (model.json) or an ONNX one (manifest.json). */
async function readCachedAny(spec: BackboneSpec, dir: string): Promise<ModelFiles> {
  const integrity = integritySchema.parse(JSON.parse(await fs.readFile(path.join(dir, "integrity.json"), "utf8")));
  if (!integrity.files["manifest.json"]) return readCached(spec, dir);
  await verifiedCacheFiles(spec, dir);
  const files = await readManifestModel(spec, path.join(dir, "manifest.json"));
  return { ...files, source: integrity.source };
}

/**
 * Download an ONNX backbone: a manifest.json URL (and the file it names), or an .onnx URL (with the manifest.json
 * beside it when there is one, else the backbone's built-in manifest). Same integrity record as TF.js downloads.
 */
async function downloadOnnxToCache(spec: BackboneSpec, url: string, root: string): Promise<ModelFiles> {
  const finalDir = cacheDirFor(root, spec.id);
  const integrityPath = path.join(finalDir, "integrity.json");
  if (await exists(integrityPath)) {
    const recorded = integritySchema.safeParse(JSON.parse(await fs.readFile(integrityPath, "utf8")));
    if (recorded.success && recorded.data.source === url && recorded.data.files["manifest.json"]) return readCachedAny(spec, finalDir);
  }
  await fs.mkdir(path.dirname(finalDir), { recursive: true });
  const tmp = await fs.mkdtemp(path.join(path.dirname(finalDir), `.${spec.id}.partial-`));
  try {
    const files: Integrity["files"] = {};
    const save = async (name: string, data: Uint8Array) => {
      const file = path.join(tmp, name);
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(file, data);
      files[name] = { size: data.length, sha256: sha256(data) };
    };
    let manifest: BackboneManifest;
    let modelUrl: string;
    if (/manifest\.json$/i.test(new URL(url).pathname)) {
      const bytes = await fetchBytes(url);
      manifest = parseManifest(new TextDecoder().decode(bytes), url);
      modelUrl = new URL(safeRelative(manifest.file, url), url).href;
    } else {
      modelUrl = url;
      const besideRes = await fetch(new URL("manifest.json", url).href).catch(() => undefined);
      const beside = besideRes?.ok ? parseManifest(await besideRes.text(), new URL("manifest.json", url).href) : undefined;
      const base = path.posix.basename(new URL(url).pathname);
      if (beside && beside.file === base) manifest = beside;
      else if (spec.defaultManifest) manifest = { ...spec.defaultManifest, file: base };
      else throw new Error(`${url}: no manifest.json beside it, and ${spec.id} has no built-in manifest`);
    }
    if (manifest.format !== "onnx") throw new Error(`${url}: manifest format "${manifest.format}": give the model.json URL for TF.js layers models`);
    await save(safeRelative(manifest.file, url), await fetchBytes(modelUrl));
    if (manifest.classifier?.labels) {
      const res = await fetch(new URL(manifest.classifier.labels, modelUrl).href).catch(() => undefined);
      if (res?.ok) await save(safeRelative(manifest.classifier.labels, url), new Uint8Array(await res.arrayBuffer()));
    }
    await save("manifest.json", new TextEncoder().encode(JSON.stringify(manifest, null, 2)));
    const integrity: Integrity = { id: spec.id, source: url, downloadedAt: new Date().toISOString(), files };
    await fs.writeFile(path.join(tmp, "integrity.json"), JSON.stringify(integrity, null, 2));
    await fs.rm(finalDir, { recursive: true, force: true });
    await fs.rename(tmp, finalDir);
  } catch (e) {
    await fs.rm(tmp, { recursive: true, force: true });
    throw e;
  }
  return readCachedAny(spec, finalDir);
}
