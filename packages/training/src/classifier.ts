import fs from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { Backbone, type BackboneLoadOptions, type ClassScore, type ExtractProgress, type View } from "./backbone";
import type { LabeledImages, UnlabeledImages } from "./data";
import type { Backend } from "./engine";
import { SoftmaxHead, type TrainOptions } from "./head";
import { argmax, evaluateProbs, logLoss, accuracy, type Evaluation } from "./metrics";
import { ModelUnavailableError, writeFileAtomic } from "./modelStore";
import { selectHeadByCrossValidation, type HeadCandidate, type HeadSelection } from "./selectHead";

/** A pretrained backbone plus a trainable head: the lesson's few lines. */

/** What best() tries, strongest first (measured in the README's comparison table). */
export const DEFAULT_BACKBONES: readonly { id: string; imageSize?: number }[] = [
  { id: "mobilenet_v2_1.0", imageSize: 288 },
  { id: "mobilenet_v1_0.75_224" },
];

export type FitProgress =
  | ({ phase: "features"; split: string } & ExtractProgress)
  | {
      phase: "epoch";
      epoch: number;
      epochs: number;
      loss: number;
      accuracy: number;
      validLoss?: number;
      validAccuracy?: number;
      elapsedSeconds: number;
      etaSeconds: number;
    };

export interface PredictOptions {
  onProgress?: (p: FitProgress) => void;
  /** Use the on-disk feature cache (default true). */
  cache?: boolean;
  /** Test-time augmentation: average the predictions for the image and its mirror image (default true). */
  tta?: boolean;
}

export interface FitOptions extends TrainOptions, PredictOptions {
  /** Train on mirrored copies of the training images too (default true). */
  augment?: boolean;
  /**
   * Choose the head's epochs and weight decay by 5-fold cross-validation on the training images (default: when
   * neither `epochs` nor `weightDecay` is given), from these candidates or DEFAULT_HEAD_CANDIDATES.
   */
  crossValidate?: boolean | readonly HeadCandidate[];
}

export interface EpochRecord {
  epoch: number;
  loss: number;
  accuracy: number;
  validLoss?: number;
  validAccuracy?: number;
}

export interface History {
  epochs: EpochRecord[];
  featureSeconds: number;
  trainSeconds: number;
  /** The cross-validation that chose the head's epochs and weight decay, when it ran. */
  selection?: HeadSelection;
}

export interface Predictions {
  files: string[];
  ids: string[];
  classes: string[];
  /** probs[i][c]: probability that image i is of class c. */
  probs: number[][];
}

export type ImageSet = LabeledImages | UnlabeledImages | readonly string[];

const savedSchema = z.object({
  format: z.literal("course-training/finetuned@1"),
  backbone: z.object({ id: z.string(), contentHash: z.string(), imageSize: z.number().int().positive().optional() }),
  classes: z.array(z.string()).min(2),
  head: z.object({
    classes: z.array(z.string()),
    dim: z.number().int().positive(),
    weights: z.array(z.number()),
    bias: z.array(z.number()),
    mean: z.array(z.number()),
    std: z.array(z.number()),
  }),
  history: z.unknown().optional(),
  savedAt: z.string(),
});

function filesOf(set: ImageSet): { files: string[]; ids: string[] } {
  if (Array.isArray(set)) {
    const files = [...(set as readonly string[])];
    return { files, ids: files.map((f) => path.basename(f, path.extname(f))) };
  }
  const s = set as LabeledImages | UnlabeledImages;
  return { files: s.files, ids: "ids" in s ? s.ids : s.files.map((f) => path.basename(f, path.extname(f))) };
}

export class PretrainedClassifier {
  private head?: SoftmaxHead;
  history?: History;

  private constructor(readonly backbone: Backbone) {}

  /** Load a registered backbone (see BACKBONES) from a folder, URL, COURSE_MODELS_FROM or the cache. */
  static async load(id: string, opts: BackboneLoadOptions = {}): Promise<PretrainedClassifier> {
    return new PretrainedClassifier(await Backbone.load(id, opts));
  }

  /** Load a fine-tuned model written by save(); the backbone is loaded as in load(). */
  static async restore(file: string, opts: BackboneLoadOptions = {}): Promise<PretrainedClassifier> {
    let raw: unknown;
    try {
      raw = JSON.parse(await fs.readFile(file, "utf8"));
    } catch (e) {
      throw new Error(`${file}: cannot read a fine-tuned model (${(e as Error).message})`);
    }
    const parsed = savedSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`${file}: not a course-training fine-tuned model; ${issue?.path.join(".") || "(root)"}: ${issue?.message}`);
    }
    const saved = parsed.data;
    const model = await PretrainedClassifier.load(saved.backbone.id, { ...opts, imageSize: saved.backbone.imageSize });
    if (model.backbone.files.contentHash !== saved.backbone.contentHash) {
      throw new Error(
        `${file} was trained on ${saved.backbone.id} weights ${saved.backbone.contentHash.slice(0, 12)}, but the loaded weights are ${model.backbone.files.contentHash.slice(0, 12)} (from ${model.backbone.files.source})`,
      );
    }
    model.head = SoftmaxHead.fromState(saved.head);
    return model;
  }

  /**
   * The strongest backbone this machine has: MobileNet v2 1.0 at 288x288, else MobileNet v1 0.75 at 224x224.
   * `onFallback` (default: a line on stderr) says why a stronger one was not used; `fallbackNote` keeps it.
   */
  static async best(opts: Omit<BackboneLoadOptions, "imageSize" | "from"> & { onFallback?: (why: string) => void } = {}): Promise<PretrainedClassifier> {
    const reasons: string[] = [];
    for (const [i, choice] of DEFAULT_BACKBONES.entries()) {
      try {
        const model = await PretrainedClassifier.load(choice.id, { ...opts, imageSize: choice.imageSize });
        if (reasons.length > 0) {
          model.fallbackNote = `using ${model.description} because ${reasons.join("; ")}`;
          (opts.onFallback ?? ((why: string) => process.stderr.write(`${why}\n`)))(model.fallbackNote);
        }
        return model;
      } catch (e) {
        if (!(e instanceof ModelUnavailableError)) throw e;
        reasons.push(`${choice.id} is unavailable (${e.message})`);
        if (i === DEFAULT_BACKBONES.length - 1) throw new ModelUnavailableError(`No pretrained backbone is available: ${reasons.join("; ")}`);
      }
    }
    throw new Error("no default backbone");
  }

  /** Why best() did not use the strongest backbone, when it did not. */
  fallbackNote?: string;

  get id(): string {
    return this.backbone.id;
  }

  /** What runs, in words: "mobilenet_v2_1.0 at 288x288 on onnxruntime-cpu". */
  get description(): string {
    return this.backbone.description;
  }

  /** The engine computing features, e.g. "onnxruntime-cpu" or "onnxruntime-cuda". */
  get backend(): Backend {
    return this.backbone.backend;
  }

  get classes(): string[] {
    return this.head?.classes ?? [];
  }

  /** Replace the ImageNet head by a new one for these classes. */
  finetune(classes: readonly string[], opts: { seed?: number } = {}): this {
    this.head = new SoftmaxHead([...classes], this.backbone.featureDim, opts.seed ?? 42);
    this.history = undefined;
    return this;
  }

  private requireHead(): SoftmaxHead {
    if (!this.head) throw new Error("no head yet: call model.finetune(data.classes) before fit/predict");
    return this.head;
  }

  /** Pooled backbone features of every image (cached on disk by content hash), plus mirrored ones if asked. */
  async features(set: ImageSet, split: string, opts: PredictOptions & { mirrored?: boolean } = {}): Promise<{ original: Float32Array[]; mirrored?: Float32Array[] }> {
    const { files } = filesOf(set);
    const views: View[] = opts.mirrored ? ["original", "mirrored"] : ["original"];
    const [original, mirrored] = await this.backbone.extractViews(files, views, {
      cache: opts.cache,
      onProgress: opts.onProgress ? (p) => opts.onProgress!({ phase: "features", split, ...p }) : undefined,
    });
    return { original: original!, mirrored };
  }

  private headProbs(head: SoftmaxHead, x: Float32Array[], mirrored?: Float32Array[]): Float32Array[] {
    const p = head.predict(x);
    if (!mirrored) return p;
    const q = head.predict(mirrored);
    return p.map((row, i) => row.map((v, c) => (v + q[i]![c]!) / 2));
  }

  /** Compute (or reuse cached) features, then train the head. */
  async fit(train: LabeledImages, valid?: LabeledImages, opts: FitOptions = {}): Promise<History> {
    const head = this.requireHead();
    for (const [name, set] of [["train", train], ["valid", valid]] as const) {
      if (set && set.classes.join("\u0000") !== head.classes.join("\u0000")) {
        throw new Error(`${name} classes [${set.classes.join(", ")}] differ from the head's [${head.classes.join(", ")}]; call finetune(data.classes)`);
      }
    }
    const augment = opts.augment ?? true;
    const tta = opts.tta ?? true;
    const t0 = performance.now();
    const t = await this.features(train, "train", { ...opts, mirrored: augment });
    const trainX = t.mirrored ? [...t.original, ...t.mirrored] : t.original;
    const trainY = t.mirrored ? [...train.labels, ...train.labels] : train.labels;
    const v = valid ? await this.features(valid, "valid", { ...opts, mirrored: tta }) : undefined;
    const validX = v?.original;
    const validM = v?.mirrored;
    const t1 = performance.now();
    const cv = opts.crossValidate ?? (opts.epochs === undefined && opts.weightDecay === undefined);
    let selection: HeadSelection | undefined;
    if (cv) {
      selection = selectHeadByCrossValidation(head.classes, t.original, t.mirrored, train.labels, {
        candidates: Array.isArray(cv) ? cv : undefined,
        seed: opts.seed,
        train: { learningRate: opts.learningRate, batchSize: opts.batchSize },
      });
    }
    const epochs = selection?.chosen.epochs ?? opts.epochs ?? 3;
    const weightDecay = selection?.chosen.weightDecay ?? opts.weightDecay;
    const records: EpochRecord[] = [];
    head.train(trainX, trainY, { ...opts, epochs, weightDecay }, (s) => {
      const rec: EpochRecord = { ...s };
      if (valid && validX) {
        const vp = this.headProbs(head, validX, validM);
        rec.validLoss = logLoss(vp, valid.labels);
        rec.validAccuracy = accuracy(vp, valid.labels);
      }
      records.push(rec);
      const elapsed = (performance.now() - t1) / 1000;
      opts.onProgress?.({ phase: "epoch", epochs, ...rec, elapsedSeconds: elapsed, etaSeconds: (elapsed / s.epoch) * (epochs - s.epoch) });
    });
    const history: History = { epochs: records, featureSeconds: (t1 - t0) / 1000, trainSeconds: (performance.now() - t1) / 1000, selection };
    this.history = history;
    return history;
  }

  /** Class probabilities for every image of the set. */
  async predict(set: ImageSet | undefined, opts: PredictOptions = {}): Promise<Predictions> {
    if (!set) throw new Error("nothing to predict: the image set is undefined (does the data folder have a test/ folder?)");
    const head = this.requireHead();
    const { files, ids } = filesOf(set);
    const x = await this.features(files, "predict", { ...opts, mirrored: opts.tta ?? true });
    return { files, ids, classes: head.classes, probs: this.headProbs(head, x.original, x.mirrored).map((p) => Array.from(p)) };
  }

  /** Accuracy, log loss and confusion matrix on a labelled set, plus the predictions. */
  async evaluate(set: LabeledImages, opts: PredictOptions = {}): Promise<Evaluation & { predictions: Predictions }> {
    const predictions = await this.predict(set, opts);
    return { ...evaluateProbs(predictions.probs, set.labels, predictions.classes), predictions };
  }

  /** Predicted class name for each image. */
  static labelsOf(p: Predictions): string[] {
    return p.probs.map((row) => p.classes[argmax(row)]!);
  }

  /** ImageNet top-k with the original pretrained network. */
  classify(file: string, topK = 5): Promise<ClassScore[]> {
    return this.backbone.classify(file, topK);
  }

  /** Head weights, backbone id (+ weights hash) and classes as JSON. */
  async save(file: string): Promise<void> {
    const head = this.requireHead();
    const saved: z.infer<typeof savedSchema> = {
      format: "course-training/finetuned@1",
      backbone: { id: this.backbone.id, contentHash: this.backbone.files.contentHash, imageSize: this.backbone.inputSize[0] },
      classes: head.classes,
      head: head.state(),
      history: this.history,
      savedAt: new Date().toISOString(),
    };
    await writeFileAtomic(file, JSON.stringify(saved));
  }

  async close(): Promise<void> {
    await this.backbone.close();
  }
}
