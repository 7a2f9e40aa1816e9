import { attr, encodeModel, type OnnxGraph, type OnnxNode, type OnnxInitializer } from "./onnx";
import { layersOf, type KerasLayer, type ModelJson, type Weight } from "./layersModel";

/**
 * Converts a Keras/TF.js layers model into an ONNX graph (NCHW) for onnxruntime.
 * BatchNormalization is folded into the preceding convolution; Keras "same"
 * padding becomes explicit (possibly asymmetric) pads, as TensorFlow computes them.
 *
 * The ONNX model takes `input` as float32 [N, 3, H, W], already preprocessed,
 * and has the outputs requested: pooled features ([N, C]) and/or the network's
 * final output.
 */
export const CONVERTER_VERSION = 1;

export interface ConvertOptions {
  /** Layer whose output is the feature vector; a 4-D output is global-average pooled. */
  featureLayer?: string;
  /** Also output the network's last layer as `output`. */
  includeOutput?: boolean;
}

export interface ConvertedModel {
  onnx: Uint8Array;
  inputShape: [number, number, number]; // H, W, C
  featureDim?: number;
  outputDim?: number;
}

type Shape = number[]; // logical Keras shape without batch: [H, W, C] or [C]

interface Tensor {
  name: string;
  shape: Shape;
}

class GraphBuilder {
  nodes: OnnxNode[] = [];
  initializers: OnnxInitializer[] = [];
  private counter = 0;

  fresh(prefix: string): string {
    return `${prefix}__${this.counter++}`;
  }

  constant(prefix: string, dims: number[], data: Float32Array | BigInt64Array): string {
    const name = this.fresh(prefix);
    this.initializers.push({ name, dims, data });
    return name;
  }

  node(op: string, inputs: string[], attributes: OnnxNode["attributes"] = {}, output?: string): string {
    const out = output ?? this.fresh(op);
    this.nodes.push({ op, inputs, outputs: [out], name: this.fresh(`${op}_node`), attributes });
    return out;
  }
}

function cfgNumberPair(layer: KerasLayer, key: string, fallback?: [number, number]): [number, number] {
  const v = layer.config[key];
  if (Array.isArray(v) && v.length === 2 && typeof v[0] === "number" && typeof v[1] === "number") return [v[0], v[1]];
  if (typeof v === "number") return [v, v];
  if (fallback) return fallback;
  throw new Error(`layer ${layer.name}: config.${key} missing or not a pair of numbers`);
}

function cfgString(layer: KerasLayer, key: string, fallback: string): string {
  const v = layer.config[key];
  return typeof v === "string" ? v : fallback;
}

/** TensorFlow "same" padding: total = max((ceil(n/s)-1)*s + k - n, 0), extra pixel after. */
export function samePadding(n: number, k: number, s: number): { out: number; before: number; after: number } {
  const out = Math.ceil(n / s);
  const total = Math.max((out - 1) * s + k - n, 0);
  const before = Math.floor(total / 2);
  return { out, before, after: total - before };
}

function spatial(
  layer: KerasLayer,
  shape: Shape,
  kernel: [number, number],
  strides: [number, number],
): { pads: number[]; h: number; w: number } {
  const [h, w] = shape;
  if (shape.length !== 3 || h === undefined || w === undefined) {
    throw new Error(`layer ${layer.name}: expected a 4-D input, got shape [${shape.join(", ")}]`);
  }
  const padding = cfgString(layer, "padding", "valid");
  if (padding === "same") {
    const ph = samePadding(h, kernel[0], strides[0]);
    const pw = samePadding(w, kernel[1], strides[1]);
    return { pads: [ph.before, pw.before, ph.after, pw.after], h: ph.out, w: pw.out };
  }
  if (padding === "valid") {
    return {
      pads: [0, 0, 0, 0],
      h: Math.floor((h - kernel[0]) / strides[0]) + 1,
      w: Math.floor((w - kernel[1]) / strides[1]) + 1,
    };
  }
  throw new Error(`layer ${layer.name}: padding "${padding}" is not supported (same or valid)`);
}

function weight(weights: Map<string, Weight>, layer: string, param: string): Weight {
  const w = weights.get(`${layer}/${param}`) ?? weights.get(`${layer}/${param}:0`);
  if (!w) throw new Error(`weight ${layer}/${param} not found in the weights manifest`);
  return w;
}

function optionalWeight(weights: Map<string, Weight>, layer: string, param: string): Weight | undefined {
  return weights.get(`${layer}/${param}`) ?? weights.get(`${layer}/${param}:0`);
}

/** Keras conv kernel [kh, kw, in, out] -> ONNX [out, in, kh, kw]. */
function convKernelToOnnx(k: Weight): { data: Float32Array; dims: number[] } {
  const [kh, kw, cin, cout] = k.shape as [number, number, number, number];
  const out = new Float32Array(k.data.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < cin; i++)
        for (let o = 0; o < cout; o++) out[((o * cin + i) * kh + y) * kw + x] = k.data[((y * kw + x) * cin + i) * cout + o]!;
  return { data: out, dims: [cout, cin, kh, kw] };
}

/** Keras depthwise kernel [kh, kw, in, mult] -> ONNX grouped conv [in*mult, 1, kh, kw]. */
function depthwiseKernelToOnnx(k: Weight): { data: Float32Array; dims: number[] } {
  const [kh, kw, cin, mult] = k.shape as [number, number, number, number];
  const out = new Float32Array(k.data.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < cin; i++)
        for (let m = 0; m < mult; m++) out[((i * mult + m) * kh + y) * kw + x] = k.data[((y * kw + x) * cin + i) * mult + m]!;
  return { data: out, dims: [cin * mult, 1, kh, kw] };
}

interface PendingConv {
  input: string;
  kernel: Float32Array;
  dims: number[];
  bias: Float32Array;
  attributes: NonNullable<OnnxNode["attributes"]>;
  activation: string;
  shape: Shape;
}

export function convertLayersModel(
  model: ModelJson,
  weights: Map<string, Weight>,
  options: ConvertOptions,
): ConvertedModel {
  const layers = layersOf(model);
  const g = new GraphBuilder();
  const tensors = new Map<string, Tensor>();
  // Convolutions are emitted lazily so that a following BatchNormalization can be folded in.
  const pending = new Map<string, PendingConv>();
  const consumers = new Map<string, number>();
  for (const l of layers) for (const node of l.inbound_nodes ?? []) for (const [src] of node) consumers.set(src, (consumers.get(src) ?? 0) + 1);

  let inputShape: [number, number, number] | undefined;
  const featureLayer = options.featureLayer;
  let lastLayer: string | undefined;

  const flush = (name: string): Tensor => {
    const p = pending.get(name);
    if (p) {
      pending.delete(name);
      const w = g.constant(`${name}_W`, p.dims, p.kernel);
      const b = g.constant(`${name}_B`, [p.dims[0]!], p.bias);
      let out = g.node("Conv", [p.input, w, b], p.attributes);
      out = applyActivation(g, out, p.activation, name);
      const t = { name: out, shape: p.shape };
      tensors.set(name, t);
      return t;
    }
    const t = tensors.get(name);
    if (!t) throw new Error(`layer ${name} is used before it is defined`);
    return t;
  };

  for (const layer of layers) {
    const inputs = (layer.inbound_nodes?.[0] ?? []).map(([src]) => src);
    const cls = layer.class_name;
    lastLayer = layer.name;
    if (cls === "InputLayer") {
      const s = layer.config.batch_input_shape;
      if (!Array.isArray(s) || s.length !== 4 || s.slice(1).some((d) => typeof d !== "number")) {
        throw new Error(`input layer ${layer.name}: batch_input_shape must be [null, H, W, C], got ${JSON.stringify(s)}`);
      }
      inputShape = [s[1] as number, s[2] as number, s[3] as number];
      tensors.set(layer.name, { name: "input", shape: [...inputShape] });
      continue;
    }
    if (inputs.length === 0) throw new Error(`layer ${layer.name} (${cls}) has no inbound nodes`);
    const firstName = inputs[0]!;

    if (cls === "BatchNormalization") {
      const p = pending.get(firstName);
      const gamma = optionalWeight(weights, layer.name, "gamma");
      const beta = optionalWeight(weights, layer.name, "beta");
      const mean = weight(weights, layer.name, "moving_mean").data;
      const variance = weight(weights, layer.name, "moving_variance").data;
      const eps = typeof layer.config.epsilon === "number" ? layer.config.epsilon : 1e-3;
      const c = mean.length;
      const scale = new Float32Array(c);
      const shift = new Float32Array(c);
      for (let i = 0; i < c; i++) {
        scale[i] = (gamma ? gamma.data[i]! : 1) / Math.sqrt(variance[i]! + eps);
        shift[i] = (beta ? beta.data[i]! : 0) - mean[i]! * scale[i]!;
      }
      if (p && p.activation === "linear" && (consumers.get(firstName) ?? 0) === 1) {
        pending.delete(firstName);
        const per = p.kernel.length / c;
        for (let o = 0; o < c; o++) {
          for (let j = 0; j < per; j++) p.kernel[o * per + j]! *= scale[o]!;
          p.bias[o] = p.bias[o]! * scale[o]! + shift[o]!;
        }
        pending.set(layer.name, p);
        continue;
      }
      const x = flush(firstName);
      if (x.shape.length !== 3) throw new Error(`layer ${layer.name}: BatchNormalization on a non 4-D input is not supported`);
      const s = g.constant(`${layer.name}_scale`, [c, 1, 1], scale);
      const b = g.constant(`${layer.name}_shift`, [c, 1, 1], shift);
      const out = g.node("Add", [g.node("Mul", [x.name, s]), b]);
      tensors.set(layer.name, { name: out, shape: x.shape });
      continue;
    }

    if (cls === "Conv2D" || cls === "DepthwiseConv2D") {
      const x = flush(firstName);
      const kernelSize = cfgNumberPair(layer, "kernel_size");
      const strides = cfgNumberPair(layer, "strides", [1, 1]);
      const dilation = cfgNumberPair(layer, "dilation_rate", [1, 1]);
      if (dilation[0] !== 1 || dilation[1] !== 1) throw new Error(`layer ${layer.name}: dilated convolutions are not supported`);
      const sp = spatial(layer, x.shape, kernelSize, strides);
      const isDepthwise = cls === "DepthwiseConv2D";
      const k = weight(weights, layer.name, isDepthwise ? "depthwise_kernel" : "kernel");
      const { data, dims } = isDepthwise ? depthwiseKernelToOnnx(k) : convKernelToOnnx(k);
      const cout = dims[0]!;
      const useBias = layer.config.use_bias !== false;
      const bias = useBias ? Float32Array.from(weight(weights, layer.name, "bias").data) : new Float32Array(cout);
      pending.set(layer.name, {
        input: x.name,
        kernel: data,
        dims,
        bias,
        attributes: {
          kernel_shape: attr.ints(kernelSize),
          strides: attr.ints(strides),
          pads: attr.ints(sp.pads),
          group: attr.int(isDepthwise ? x.shape[2]! : 1),
        },
        activation: cfgString(layer, "activation", "linear"),
        shape: [sp.h, sp.w, cout],
      });
      continue;
    }

    // Every other layer consumes materialised tensors.
    const xs = inputs.map(flush);
    const x = xs[0]!;
    let out: Tensor;
    switch (cls) {
      case "Activation":
        out = { name: applyActivation(g, x.name, cfgString(layer, "activation", "linear"), layer.name), shape: x.shape };
        break;
      case "ReLU": {
        const max = layer.config.max_value;
        const slope = layer.config.negative_slope;
        if (typeof slope === "number" && slope !== 0) throw new Error(`layer ${layer.name}: ReLU negative_slope not supported`);
        out = { name: typeof max === "number" ? clip(g, x.name, 0, max) : g.node("Relu", [x.name]), shape: x.shape };
        break;
      }
      case "LeakyReLU": {
        const alpha = typeof layer.config.alpha === "number" ? layer.config.alpha : 0.3;
        out = { name: g.node("LeakyRelu", [x.name], { alpha: attr.float(alpha) }), shape: x.shape };
        break;
      }
      case "Dropout":
      case "SpatialDropout2D":
      case "GaussianNoise":
        out = x;
        break;
      case "ZeroPadding2D": {
        const p = layer.config.padding;
        let t = 0, b = 0, l = 0, r = 0;
        if (typeof p === "number") t = b = l = r = p;
        else if (Array.isArray(p) && p.length === 2 && typeof p[0] === "number") {
          t = b = p[0];
          l = r = p[1] as number;
        } else if (Array.isArray(p) && p.length === 2 && Array.isArray(p[0]) && Array.isArray(p[1])) {
          [t, b] = p[0] as [number, number];
          [l, r] = p[1] as [number, number];
        } else throw new Error(`layer ${layer.name}: unsupported padding ${JSON.stringify(p)}`);
        const pads = g.constant(`${layer.name}_pads`, [8], BigInt64Array.from([0, 0, t, l, 0, 0, b, r].map(BigInt)));
        out = { name: g.node("Pad", [x.name, pads]), shape: [x.shape[0]! + t + b, x.shape[1]! + l + r, x.shape[2]!] };
        break;
      }
      case "MaxPooling2D":
      case "AveragePooling2D": {
        const pool = cfgNumberPair(layer, "pool_size", [2, 2]);
        const strides = cfgNumberPair(layer, "strides", pool);
        const sp = spatial(layer, x.shape, pool, strides);
        const attributes: NonNullable<OnnxNode["attributes"]> = {
          kernel_shape: attr.ints(pool),
          strides: attr.ints(strides),
          pads: attr.ints(sp.pads),
        };
        if (cls === "AveragePooling2D") attributes.count_include_pad = attr.int(0);
        out = { name: g.node(cls === "MaxPooling2D" ? "MaxPool" : "AveragePool", [x.name], attributes), shape: [sp.h, sp.w, x.shape[2]!] };
        break;
      }
      case "GlobalAveragePooling2D":
      case "GlobalMaxPooling2D":
        out = globalPool(g, x, cls === "GlobalMaxPooling2D" ? "GlobalMaxPool" : "GlobalAveragePool");
        break;
      case "Reshape":
      case "Flatten": {
        const target =
          cls === "Flatten" ? [x.shape.reduce((a, b) => a * b, 1)] : (layer.config.target_shape);
        if (!Array.isArray(target) || target.some((d) => typeof d !== "number")) {
          throw new Error(`layer ${layer.name}: target_shape must be a list of numbers`);
        }
        out = reshape(g, x, target as number[]);
        break;
      }
      case "Dense": {
        if (x.shape.length !== 1) throw new Error(`layer ${layer.name}: Dense on a non-flat input is not supported`);
        const k = weight(weights, layer.name, "kernel");
        const [din, dout] = k.shape as [number, number];
        const wName = g.constant(`${layer.name}_W`, [din, dout], k.data);
        let y = g.node("MatMul", [x.name, wName]);
        if (layer.config.use_bias !== false) y = g.node("Add", [y, g.constant(`${layer.name}_B`, [dout], weight(weights, layer.name, "bias").data)]);
        out = { name: applyActivation(g, y, cfgString(layer, "activation", "linear"), layer.name), shape: [dout] };
        break;
      }
      case "Add":
        out = { name: xs.slice(1).reduce((acc, t) => g.node("Add", [acc, t.name]), x.name), shape: x.shape };
        break;
      case "Concatenate": {
        const axis = typeof layer.config.axis === "number" ? layer.config.axis : -1;
        if (axis !== -1 && axis !== x.shape.length) throw new Error(`layer ${layer.name}: only channel concatenation is supported`);
        const channels = xs.reduce((a, t) => a + t.shape[t.shape.length - 1]!, 0);
        out = {
          name: g.node("Concat", xs.map((t) => t.name), { axis: attr.int(1) }),
          shape: [...x.shape.slice(0, -1), channels],
        };
        break;
      }
      default:
        throw new Error(`layer ${layer.name}: layer class ${cls} is not supported by the ONNX converter`);
    }
    tensors.set(layer.name, out);
  }

  if (!inputShape) throw new Error("model has no InputLayer with batch_input_shape");
  const outputs: OnnxGraph["outputs"] = [];
  let featureDim: number | undefined;
  let outputDim: number | undefined;
  if (featureLayer) {
    if (!layers.some((l) => l.name === featureLayer)) {
      throw new Error(`feature layer ${featureLayer} is not a layer of this model`);
    }
    let f = flush(featureLayer);
    if (f.shape.length === 3) f = globalPool(g, f, "GlobalAveragePool");
    if (f.shape.length !== 1) throw new Error(`feature layer ${featureLayer} has unsupported shape [${f.shape.join(",")}]`);
    featureDim = f.shape[0]!;
    g.node("Identity", [f.name], {}, "features");
    outputs.push({ name: "features", dims: ["N", featureDim] });
  }
  if (options.includeOutput && lastLayer) {
    let o = flush(lastLayer);
    if (o.shape.length !== 1) o = reshape(g, o, [o.shape.reduce((a, b) => a * b, 1)]);
    outputDim = o.shape[0]!;
    g.node("Identity", [o.name], {}, "output");
    outputs.push({ name: "output", dims: ["N", outputDim] });
  }
  if (outputs.length === 0) throw new Error("nothing to output: give a feature layer or includeOutput");
  const onnx = encodeModel(
    {
      name: "converted",
      nodes: g.nodes,
      initializers: g.initializers,
      inputs: [{ name: "input", dims: ["N", inputShape[2], inputShape[0], inputShape[1]] }],
      outputs,
    },
    { producer: `course-training-converter-${CONVERTER_VERSION}` },
  );
  return { onnx, inputShape, featureDim, outputDim };
}

function clip(g: GraphBuilder, x: string, min: number, max: number): string {
  return g.node("Clip", [x, g.constant("clip_min", [], Float32Array.of(min)), g.constant("clip_max", [], Float32Array.of(max))]);
}

function applyActivation(g: GraphBuilder, x: string, activation: string, layer: string): string {
  switch (activation) {
    case "linear":
      return x;
    case "relu":
      return g.node("Relu", [x]);
    case "relu6":
      return clip(g, x, 0, 6);
    case "sigmoid":
      return g.node("Sigmoid", [x]);
    case "tanh":
      return g.node("Tanh", [x]);
    case "softmax":
      // Keras softmax is over the last (channel) axis; our 4-D tensors are NCHW, flat ones [N, C].
      return g.node("Softmax", [x], { axis: attr.int(1) });
    default:
      throw new Error(`layer ${layer}: activation ${activation} is not supported`);
  }
}

function globalPool(g: GraphBuilder, x: Tensor, op: "GlobalAveragePool" | "GlobalMaxPool"): Tensor {
  if (x.shape.length !== 3) throw new Error(`global pooling needs a 4-D input, got [${x.shape.join(",")}]`);
  const pooled = g.node(op, [x.name]);
  return { name: g.node("Flatten", [pooled], { axis: attr.int(1) }), shape: [x.shape[2]!] };
}

/** Keras reshape semantics are NHWC; go through NHWC when a 4-D layout is involved. */
function reshape(g: GraphBuilder, x: Tensor, target: number[]): Tensor {
  const known = x.shape.reduce((a, b) => a * b, 1);
  const resolved = [...target];
  const unknown = resolved.indexOf(-1);
  if (unknown >= 0) resolved[unknown] = known / resolved.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  if (resolved.reduce((a, b) => a * b, 1) !== known) throw new Error(`cannot reshape [${x.shape.join(",")}] to [${target.join(",")}]`);
  let src = x.name;
  if (x.shape.length === 3) src = g.node("Transpose", [src], { perm: attr.ints([0, 2, 3, 1]) });
  const shapeConst = g.constant("shape", [resolved.length + 1], BigInt64Array.from([0, ...resolved].map(BigInt)));
  let out = g.node("Reshape", [src, shapeConst]);
  if (resolved.length === 3) out = g.node("Transpose", [out], { perm: attr.ints([0, 3, 1, 2]) });
  return { name: out, shape: resolved };
}
