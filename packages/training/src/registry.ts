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
  /** Public URL of model.json, if the model is published. */
  defaultUrl?: string;
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
