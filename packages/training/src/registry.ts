import type { BackboneManifest } from "./manifest";

/** Known pretrained backbones: where they come from and how to feed them. */

export type Preprocessing = "mobilenet" | "darknet";

export interface BackboneSpec {
  id: string;
  description: string;
  inputSize: [number, number];
  preprocessing: Preprocessing;
  /** Layer whose output (global-average pooled when 4-D) is the feature vector. */
  featureLayer: string;
  /** File next to model.json holding `{"labels": [...]}` in output order. */
  labels?: { file: string };
  /** The network's last layer gives raw scores that still need a softmax. */
  outputIsLogits: boolean;
  /** Public URL of model.json (tfjs-layers) or of the .onnx file, if the model is published. */
  defaultUrl?: string;
  /**
   * "tfjs-layers" (default): model.json + shards, fed as inputSize/preprocessing/featureLayer say.
   * "onnx": an ONNX file described by a manifest.json beside it (see manifest.ts); inputSize/preprocessing are then
   * only the defaults the manifest overrides.
   */
  format?: "tfjs-layers" | "onnx";
  /** Other folder names tried under COURSE_MODELS_FROM, after the id. */
  folderNames?: string[];
  /** The manifest for defaultUrl's bare .onnx file (a URL without a manifest.json beside it). */
  defaultManifest?: BackboneManifest;
}

export const BACKBONES: Record<string, BackboneSpec> = {
  "mobilenet_v1_0.75_224": {
    id: "mobilenet_v1_0.75_224",
    description: "Keras MobileNet v1, alpha 0.75, 224x224, ImageNet (TF.js layers export)",
    inputSize: [224, 224],
    preprocessing: "mobilenet",
    featureLayer: "global_average_pooling2d_1",
    labels: { file: "metadata.json" },
    outputIsLogits: false,
    defaultUrl: "https://storage.googleapis.com/tfjs-models/tfjs/mobilenet_v1_0.75_224/model.json",
  },
  darknet_tiny: {
    id: "darknet_tiny",
    description: "Darknet reference tiny network, 224x224, ImageNet (ml5 TF.js layers export)",
    inputSize: [224, 224],
    preprocessing: "darknet",
    featureLayer: "leaky_re_lu_15",
    labels: { file: "labels_darknet_order.json" },
    outputIsLogits: true,
  },
  "mobilenet_v2_1.0": {
    id: "mobilenet_v2_1.0",
    description: "MobileNet v2, width 1.0, ImageNet, ONNX feature extractor (H/W dynamic, trained at 224)",
    inputSize: [224, 224],
    preprocessing: "mobilenet",
    featureLayer: "features",
    outputIsLogits: true,
    format: "onnx",
    folderNames: ["mobilenet_v2_1.0_features"],
    // The ONNX model zoo's MobileNet v2 (Apache-2.0): a full classifier, NCHW, ImageNet mean/std, fixed 224x224;
    // the loader cuts it at the global average pool.
    defaultUrl: "https://github.com/onnx/models/raw/main/validated/vision/classification/mobilenet/model/mobilenetv2-12.onnx",
    defaultManifest: {
      id: "mobilenet_v2_1.0",
      format: "onnx",
      file: "mobilenetv2-12.onnx",
      input: { name: "input", layout: "NCHW", channels: "RGB", dtype: "float32", height: 224, width: 224, trainedAt: 224, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
      output: { name: "auto", meaning: "global average pool before the classifier" },
      classifier: { output: "output", logits: true },
      license: "Apache-2.0",
    },
  },
};

export function backboneSpec(id: string): BackboneSpec {
  const spec = BACKBONES[id];
  if (!spec) {
    throw new Error(`unknown backbone "${id}"; known backbones: ${Object.keys(BACKBONES).join(", ")}`);
  }
  return spec;
}

/** Pixel scaling applied to RGB bytes, as `x * scale + offset`. */
export function pixelScaling(p: Preprocessing): { scale: number; offset: number } {
  return p === "mobilenet" ? { scale: 1 / 127.5, offset: -1 } : { scale: 1 / 255, offset: 0 };
}

/** Add (or replace) a backbone, e.g. your own TF.js layers model or a tiny one for tests. */
export function registerBackbone(spec: BackboneSpec): void {
  if (!/^[A-Za-z0-9_.-]+$/.test(spec.id)) throw new Error(`backbone id "${spec.id}" may only use letters, digits, _ . -`);
  BACKBONES[spec.id] = spec;
}
