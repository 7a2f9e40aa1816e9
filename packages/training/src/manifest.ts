import { z } from "zod";
import type { BackboneSpec } from "./registry";

/**
 * A backbone described by data: `manifest.json` next to the model file says how to feed it (input name, layout,
 * channel order, pixel scaling, trained size, whether H/W are dynamic) and which output holds the pooled features
 * (and, optionally, the ImageNet classifier). The loader checks it against the model itself (see checkAgainstModel).
 */

const size = z.union([z.literal("dynamic"), z.number().int().positive()]);
const triple = z.tuple([z.number(), z.number(), z.number()]);

export const manifestSchema = z
  .object({
    id: z.string().optional(),
    format: z.enum(["onnx", "tfjs-layers"]),
    /** The model file, relative to the manifest: model.onnx or model.json. */
    file: z.string().min(1),
    input: z
      .object({
        name: z.string().min(1),
        layout: z.enum(["NHWC", "NCHW"]),
        channels: z.enum(["RGB", "BGR"]).default("RGB"),
        dtype: z.literal("float32").default("float32"),
        height: size,
        width: size,
        /** The size the network was trained at: the default input size. */
        trainedAt: z.number().int().positive(),
        /** Pixel scaling of 0..255 values, "x / 127.5 - 1" or "x / 255" ... */
        scale: z.string().optional(),
        /** ...or ImageNet-style normalisation of x / 255: (x / 255 - mean) / std, per channel in `channels` order. */
        mean: triple.optional(),
        std: triple.optional(),
      })
      .refine((i) => (i.scale !== undefined) !== (i.mean !== undefined && i.std !== undefined), {
        message: 'give either "scale" (e.g. "x / 127.5 - 1") or both "mean" and "std"',
      }),
    output: z.object({
      /** The tensor holding the pooled features, [N, C] (or [N, C, 1, 1]). */
      name: z.string().min(1),
      shape: z.array(z.union([z.string(), z.number()])).optional(),
      meaning: z.string().optional(),
    }),
    /** The full network's class scores, when the file has them. */
    classifier: z
      .object({
        output: z.string().min(1),
        /** File next to the manifest holding {"labels": [...]} in output order. */
        labels: z.string().optional(),
        /** Raw scores that still need a softmax. */
        logits: z.boolean().default(true),
      })
      .nullable()
      .optional(),
    /** tfjs-layers only: the layer whose (pooled) output is the feature vector. */
    featureLayer: z.string().optional(),
    imagenetTop1: z.number().optional(),
    license: z.string().optional(),
  })
  .refine((m) => m.format !== "tfjs-layers" || m.featureLayer !== undefined, { message: 'a "tfjs-layers" manifest needs "featureLayer"', path: ["featureLayer"] });

export type BackboneManifest = z.infer<typeof manifestSchema>;

/** Parse and validate a manifest; the error names the field that is wrong. */
export function parseManifest(text: string, where: string): BackboneManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`${where}: not JSON (${(e as Error).message})`);
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    throw new Error(`${where}: invalid backbone manifest: ${issues}`);
  }
  parseScale(parsed.data.input.scale ?? "x", where);
  return parsed.data;
}

/** `x / 127.5 - 1`, `x/255`, `x * 0.5 + 3`, `(x - 127.5) / 127.5`: as x * scale + offset. */
export function parseScale(expr: string, where = "manifest"): { scale: number; offset: number } {
  const s = expr.replace(/\s+/g, "");
  const n = String.raw`(\d+(?:\.\d*)?|\.\d+)`;
  let m = new RegExp(String.raw`^x(?:([*/])${n})?(?:([+-])${n})?$`).exec(s);
  if (m) {
    const factor = m[2] === undefined ? 1 : m[1] === "/" ? 1 / Number(m[2]) : Number(m[2]);
    const offset = m[4] === undefined ? 0 : (m[3] === "-" ? -1 : 1) * Number(m[4]);
    return { scale: factor, offset };
  }
  m = new RegExp(String.raw`^\(x-${n}\)/${n}$`).exec(s);
  if (m) return { scale: 1 / Number(m[2]), offset: -Number(m[1]) / Number(m[2]) };
  throw new Error(`${where}: input.scale "${expr}" is not understood; write it like "x / 127.5 - 1", "x / 255" or "(x - 127.5) / 127.5"`);
}

/** How RGB bytes become the network's input tensor. */
export interface InputTransform {
  name: string;
  layout: "NHWC" | "NCHW";
  /** Channel order of the tensor. */
  channels: "RGB" | "BGR";
  /** Per tensor channel: value = byte * scale + offset. */
  scale: [number, number, number];
  offset: [number, number, number];
}

export function inputTransform(m: BackboneManifest): InputTransform {
  const i = m.input;
  let scale: [number, number, number];
  let offset: [number, number, number];
  if (i.mean && i.std) {
    const [m0, m1, m2] = i.mean;
    const [s0, s1, s2] = i.std;
    scale = [1 / (255 * s0), 1 / (255 * s1), 1 / (255 * s2)];
    offset = [-m0 / s0, -m1 / s1, -m2 / s2];
  } else {
    const p = parseScale(i.scale ?? "x");
    scale = [p.scale, p.scale, p.scale];
    offset = [p.offset, p.offset, p.offset];
  }
  return { name: i.name, layout: i.layout, channels: i.channels, scale, offset };
}

/** The manifest today's registered TF.js layers models imply (our converter makes an NCHW graph). */
export function manifestForLayersSpec(spec: BackboneSpec): BackboneManifest {
  return {
    id: spec.id,
    format: "tfjs-layers",
    file: "model.json",
    input: {
      name: "input",
      layout: "NCHW",
      channels: "RGB",
      dtype: "float32",
      height: spec.inputSize[1],
      width: spec.inputSize[0],
      trainedAt: spec.inputSize[0],
      scale: spec.preprocessing === "mobilenet" ? "x / 127.5 - 1" : "x / 255",
    },
    output: { name: "features" },
    classifier: spec.labels ? { output: "output", labels: spec.labels.file, logits: spec.outputIsLogits } : undefined,
    featureLayer: spec.featureLayer,
  };
}

/** What onnxruntime says about one input or output. */
export interface TensorInfo {
  name: string;
  /** undefined when not a tensor or unknown; a string or -1 for a symbolic dimension. */
  shape?: (number | string)[];
}

export interface SessionInfo {
  inputs: TensorInfo[];
  outputs: TensorInfo[];
}

const isFixed = (d: number | string | undefined): d is number => typeof d === "number" && d > 0;

/**
 * Check a manifest against the loaded ONNX session: names, ranks, channel axis, fixed vs dynamic H/W, feature width.
 * Returns the feature dimension (when the model states it); throws naming the manifest field that is wrong.
 */
export function checkAgainstModel(m: BackboneManifest, s: SessionInfo, where: string): { featureDim?: number } {
  const fail = (field: string, msg: string): never => {
    throw new Error(`${where}: manifest field ${field} does not match the model: ${msg}`);
  };
  const input = s.inputs.find((i) => i.name === m.input.name);
  if (!input) fail("input.name", `"${m.input.name}" is not an input of the model (its inputs: ${s.inputs.map((i) => i.name).join(", ")})`);
  const shape = input!.shape;
  if (shape) {
    if (shape.length !== 4) fail("input.layout", `input "${m.input.name}" has rank ${shape.length}, an image batch needs rank 4`);
    const [c, h, w] = m.input.layout === "NHWC" ? [shape[3], shape[1], shape[2]] : [shape[1], shape[2], shape[3]];
    if (isFixed(c) && c !== 3) {
      fail("input.layout", `${m.input.layout} puts channels on axis ${m.input.layout === "NHWC" ? 3 : 1}, where the model has ${c} (shape [${shape.join(", ")}])`);
    }
    for (const [field, want, got] of [["input.height", m.input.height, h], ["input.width", m.input.width, w]] as const) {
      if (want === "dynamic" && isFixed(got)) fail(field, `"dynamic", but the model's input is fixed at ${got} (shape [${shape.join(", ")}])`);
      if (want !== "dynamic" && isFixed(got) && got !== want) fail(field, `${want}, but the model's input has ${got} (shape [${shape.join(", ")}])`);
    }
  }
  const out = s.outputs.find((o) => o.name === m.output.name);
  if (!out) fail("output.name", `"${m.output.name}" is not an output of the model (its outputs: ${s.outputs.map((o) => o.name).join(", ")})`);
  let featureDim: number | undefined;
  if (out!.shape) {
    const rest = out!.shape.slice(1);
    if (rest.length === 0 || rest.slice(1).some((d) => isFixed(d) && d !== 1)) {
      fail("output.name", `"${m.output.name}" has shape [${out!.shape.join(", ")}], pooled features must be [N, C] or [N, C, 1, 1]`);
    }
    if (isFixed(rest[0])) featureDim = rest[0];
  }
  const declared = m.output.shape?.[1];
  if (typeof declared === "number" && featureDim !== undefined && declared !== featureDim) {
    fail("output.shape", `says ${declared} features, the model's "${m.output.name}" has ${featureDim}`);
  }
  if (m.classifier && !s.outputs.some((o) => o.name === m.classifier!.output)) {
    fail("classifier.output", `"${m.classifier.output}" is not an output of the model (its outputs: ${s.outputs.map((o) => o.name).join(", ")})`);
  }
  return { featureDim };
}
