import { z } from "zod";

/** Parsing of TensorFlow.js "layers" models (Keras exports): model.json and its weight shards. */

const weightEntry = z.object({
  name: z.string(),
  shape: z.array(z.number().int().nonnegative()),
  dtype: z.string().default("float32"),
  quantization: z.unknown().optional(),
});

export const weightsManifestSchema = z.array(
  z.object({ paths: z.array(z.string().min(1)).min(1), weights: z.array(weightEntry) }),
);
export type WeightsManifest = z.infer<typeof weightsManifestSchema>;

const inboundNodes = z.array(z.array(z.tuple([z.string(), z.number(), z.number()]).rest(z.unknown())));

const layerSchema = z.object({
  class_name: z.string(),
  name: z.string().optional(),
  config: z.record(z.string(), z.unknown()),
  inbound_nodes: inboundNodes.optional(),
});
export type KerasLayer = z.infer<typeof layerSchema> & { name: string };

const modelConfigSchema = z.object({
    class_name: z.string(),
    config: z.union([
      z.object({
        name: z.string().optional(),
        layers: z.array(layerSchema),
        input_layers: z.array(z.array(z.unknown())).optional(),
        output_layers: z.array(z.array(z.unknown())).optional(),
      }),
      z.array(layerSchema),
    ]),
  });

// Keras exports wrap the config in model_config; models saved by TF.js itself do not.
const topologySchema = z.union([
  z.object({ keras_version: z.string().optional(), backend: z.string().optional(), model_config: modelConfigSchema }),
  modelConfigSchema.transform((model_config) => ({ keras_version: undefined, backend: undefined, model_config })),
]);

export const modelJsonSchema = z.object({
  modelTopology: topologySchema,
  weightsManifest: weightsManifestSchema,
  format: z.string().optional(),
});
export type ModelJson = z.infer<typeof modelJsonSchema>;

export interface ParsedLayersModel {
  layers: KerasLayer[];
  manifest: WeightsManifest;
}

export function parseModelJson(text: string, where: string): ModelJson {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`${where}: not valid JSON (${(e as Error).message})`);
  }
  const parsed = modelJsonSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `${where}: not a TensorFlow.js layers model (expected {modelTopology: {model_config: ...}, weightsManifest: [...]}); ` +
        `problem at ${issue?.path.join(".") || "(root)"}: ${issue?.message ?? "invalid"}`,
    );
  }
  return parsed.data;
}

/** The layers in file order, with `sequential` models given explicit inbound nodes. */
export function layersOf(model: ModelJson): KerasLayer[] {
  const cfg = model.modelTopology.model_config.config;
  const list = Array.isArray(cfg) ? cfg : cfg.layers;
  const sequential = model.modelTopology.model_config.class_name === "Sequential";
  const out: KerasLayer[] = [];
  let previous: string | undefined;
  for (const l of list) {
    const name = l.name ?? (typeof l.config.name === "string" ? l.config.name : undefined);
    if (!name) throw new Error(`layer of class ${l.class_name} has no name`);
    let inbound = l.inbound_nodes;
    if (sequential) {
      if (!previous && l.class_name !== "InputLayer") {
        const shape = l.config.batch_input_shape;
        out.push({ class_name: "InputLayer", name: "input_1", config: { batch_input_shape: shape } });
        previous = "input_1";
      }
      inbound = previous ? [[[previous, 0, 0]]] : [];
    }
    out.push({ ...l, name, inbound_nodes: inbound });
    previous = name;
  }
  return out;
}

/** Total bytes expected for each shard group, from the manifest (float32 = 4 bytes). */
export function expectedGroupBytes(manifest: WeightsManifest): number[] {
  return manifest.map((g) =>
    g.weights.reduce((sum, w) => sum + w.shape.reduce((a, b) => a * b, 1) * bytesPerElement(w.dtype, w.name), 0),
  );
}

function bytesPerElement(dtype: string, name: string): number {
  if (dtype === "float32" || dtype === "int32") return 4;
  throw new Error(`weight ${name}: dtype ${dtype} is not supported (only float32 weights)`);
}

export interface Weight {
  shape: number[];
  data: Float32Array;
}

/**
 * Slice the concatenated bytes of each manifest group into named float32 tensors.
 * `groupBytes[i]` holds the concatenation of group i's shard files in order.
 */
export function decodeWeights(manifest: WeightsManifest, groupBytes: Uint8Array[]): Map<string, Weight> {
  const out = new Map<string, Weight>();
  manifest.forEach((group, gi) => {
    const bytes = groupBytes[gi];
    if (!bytes) throw new Error(`weights group ${gi + 1} (${group.paths.join(", ")}) missing`);
    let offset = 0;
    for (const w of group.weights) {
      if (w.quantization) throw new Error(`weight ${w.name}: quantized weights are not supported`);
      const n = w.shape.reduce((a, b) => a * b, 1);
      const size = n * bytesPerElement(w.dtype, w.name);
      if (offset + size > bytes.length) {
        throw new Error(
          `weights file ${group.paths.join("+")} is too short: ${bytes.length} bytes, need at least ${offset + size} for ${w.name}`,
        );
      }
      // Copy into an aligned buffer: shard offsets need not be 4-byte aligned.
      const data = new Float32Array(n);
      new Uint8Array(data.buffer).set(bytes.subarray(offset, offset + size));
      out.set(w.name, { shape: w.shape, data });
      offset += size;
    }
  });
  return out;
}
