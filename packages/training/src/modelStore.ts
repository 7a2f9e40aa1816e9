import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { expectedGroupBytes, parseModelJson, type ModelJson } from "./layersModel";
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

export interface ModelFiles {
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
    `Provide it with the env var ${MODELS_FROM_ENV}=<folder or https URL holding ${spec.id}/model.json>, ` +
    `or pass { from: "<folder or URL of model.json>" } (CLI: --from <folder|url>).`
  );
}

/** Resolve a backbone's files: explicit `from`, then COURSE_MODELS_FROM, then the cache, then the default URL. */
export async function loadModelFiles(id: string, opts: LoadModelOptions = {}): Promise<ModelFiles> {
  const spec = backboneSpec(id);
  const root = cacheRoot(opts.cacheDir);
  let from = opts.from;
  if (!from && process.env[MODELS_FROM_ENV]) {
    const base = process.env[MODELS_FROM_ENV];
    from = isUrl(base) ? new URL(`${spec.id}/model.json`, base.endsWith("/") ? base : `${base}/`).href : path.join(base, spec.id);
  }
  if (from) return isUrl(from) ? downloadToCache(spec, from, root) : readLocalFolder(spec, from);

  const cached = cacheDirFor(root, spec.id);
  if (await exists(path.join(cached, "integrity.json"))) return readCached(spec, cached);
  if (!spec.defaultUrl) {
    throw new ModelUnavailableError(
      `Model "${spec.id}" is missing: no --from/${MODELS_FROM_ENV} given, nothing cached at ${cached}, and it has no public default URL. ${missingHelp(spec)}`,
    );
  }
  try {
    return await downloadToCache(spec, spec.defaultUrl, root);
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

function finish(spec: BackboneSpec, source: string, dir: string, text: string, modelJson: ModelJson, shards: Uint8Array[][], labels?: string[]): ModelFiles {
  const groups = shards.map((parts) => (parts.length === 1 ? parts[0]! : new Uint8Array(Buffer.concat(parts))));
  const h = createHash("sha256").update(text);
  for (const g of groups) h.update(g);
  return { spec, source, dir, modelJson, modelJsonText: text, groups, labels, contentHash: h.digest("hex") };
}

async function readLocalFolder(spec: BackboneSpec, from: string): Promise<ModelFiles> {
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

async function readCached(spec: BackboneSpec, dir: string): Promise<ModelFiles> {
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
    if (problem) {
      throw new Error(
        `cached model ${spec.id} is corrupt: ${file} ${problem}. Delete ${dir} and load again (it will be downloaded from ${integrity.source}).`,
      );
    }
    bytes.set(name, new Uint8Array(data!));
  }
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
async function downloadToCache(spec: BackboneSpec, url: string, root: string): Promise<ModelFiles> {
  const finalDir = cacheDirFor(root, spec.id);
  const integrityPath = path.join(finalDir, "integrity.json");
  if (await exists(integrityPath)) {
    const recorded = integritySchema.safeParse(JSON.parse(await fs.readFile(integrityPath, "utf8")));
    if (recorded.success && recorded.data.source === url) return readCached(spec, finalDir);
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
