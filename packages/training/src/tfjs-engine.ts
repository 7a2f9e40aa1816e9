import fs from "node:fs";
import type * as TfModule from "@tensorflow/tfjs";
import type { FeatureEngine, Backend } from "./engine";
import type { LayersModelFiles } from "./modelStore";

/** The TF.js API: `@tensorflow/tfjs-node-gpu` in production, plain `@tensorflow/tfjs` in the tests (same calls). */
export type Tf = typeof TfModule;

export const TFJS_NODE_GPU = "@tensorflow/tfjs-node-gpu";

/**
 * Loads the optional `@tensorflow/tfjs-node-gpu`. Its install step downloads libtensorflow (GPU build); where that
 * could not happen (no internet, npm not running install scripts) the package is absent or has no native binding,
 * and this says why instead of throwing.
 */
export async function loadTfjsNodeGpu(moduleName = TFJS_NODE_GPU): Promise<{ tf: Tf } | { reason: string }> {
  try {
    const tf = (await import(/* @vite-ignore */ moduleName)) as Tf & { default?: Tf };
    return { tf: tf.default ?? tf };
  } catch (error) {
    const message = (error as Error).message.split("\n")[0] ?? String(error);
    return { reason: `${moduleName} is not usable (${message.trim()})` };
  }
}

/**
 * Whether CUDA's runtime libraries are mapped into this process. libtensorflow's GPU build opens them when it finds
 * them and quietly runs on the CPU when it does not, so after a first run this tells which of the two happened.
 */
export function cudaLibrariesLoaded(mapsFile = "/proc/self/maps"): boolean {
  try {
    return /\/lib(cudart|cudnn|cublas)[^/\s]*\.so/.test(fs.readFileSync(mapsFile, "utf8"));
  } catch {
    return false;
  }
}

/**
 * The backbone run by TF.js from the original layers model (NHWC), with the same inputs and outputs as the ONNX
 * engine: NCHW batches in, pooled `features` and/or the network's `output` out.
 */
export class TfjsEngine implements FeatureEngine {
  private constructor(
    private readonly tf: Tf,
    private readonly model: TfModule.LayersModel,
    readonly backend: Backend,
    readonly note?: string,
  ) {}

  static async create(tf: Tf, files: Pick<LayersModelFiles, "modelJsonText" | "groups" | "spec">, backend: Backend, note?: string): Promise<TfjsEngine> {
    // The original text, not the validated copy: TF.js needs every field of the topology.
    const raw = JSON.parse(files.modelJsonText) as { modelTopology: TfModule.io.ModelJSON["modelTopology"]; weightsManifest: { weights: TfModule.io.WeightsManifestEntry[] }[] };
    const manifest = raw.weightsManifest;
    const total = files.groups.reduce((n, g) => n + g.byteLength, 0);
    const weightData = new Uint8Array(total);
    let offset = 0;
    for (const group of files.groups) {
      weightData.set(group, offset);
      offset += group.byteLength;
    }
    const loaded = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: raw.modelTopology,
        weightSpecs: manifest.flatMap((g) => g.weights),
        weightData: weightData.buffer,
      }),
    );
    const features = loaded.getLayer(files.spec.featureLayer).output as TfModule.SymbolicTensor;
    const both = tf.model({ inputs: loaded.inputs, outputs: [features, loaded.outputs[0]!] });
    return new TfjsEngine(tf, both, backend, note);
  }

  async run(input: Float32Array, dims: readonly number[], outputs: readonly string[]): Promise<Record<string, Float32Array>> {
    const [n, c, h, w] = dims as [number, number, number, number];
    const tf = this.tf;
    const [features, output] = tf.tidy(() => {
      const nhwc = tf.tensor4d(input, [n, c, h, w]).transpose([0, 2, 3, 1]);
      const [feat, out] = this.model.predict(nhwc) as TfModule.Tensor[];
      const pooled = feat!.rank === 4 ? feat!.mean([1, 2]) : feat!;
      return [pooled, out!];
    });
    try {
      const result: Record<string, Float32Array> = {};
      if (outputs.includes("features")) result.features = new Float32Array(await features.data());
      if (outputs.includes("output")) result.output = new Float32Array(await output.data());
      return result;
    } finally {
      features.dispose();
      output.dispose();
    }
  }

  async close(): Promise<void> {
    this.model.dispose();
  }
}
