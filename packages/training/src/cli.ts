import fs from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { PretrainedClassifier } from "./classifier";
import { ImageFolder, DatasetLayoutError } from "./data";
import { interpret } from "./interpret";
import { confusionMatrixSvg, trainingCurvesSvg } from "./plots";
import { prepareKaggle } from "./prepare";
import { ProgressReporter } from "./progress";
import { BACKBONES } from "./registry";
import { renderReport } from "./report";
import { writeSubmission } from "./submission";
import type { BackboneLoadOptions } from "./backbone";
import { ModelUnavailableError, writeFileAtomic } from "./modelStore";

const USAGE = `course-train <command> [options]

Commands:
  prepare <kaggle-train-dir> <out-dir>  Kaggle's flat cat.N.jpg/dog.N.jpg -> train/ valid/ (test/unknown, sample/)
      --test <dir>            unlabelled test images (Kaggle's test1/) -> test/unknown/
      --valid-fraction <f>    share of each class put in valid/ (default 0.2)
      --seed <n>              split seed (default 42)
      --sample <n>            also make sample/ with n training images per class (default 0: none)
      --copy                  copy files instead of hard-linking them
  fit <data-dir>              train a new head on train/, report valid/ metrics, save the model
      --out <file>            fine-tuned model JSON (default <data-dir>/finetuned.json)
      --epochs <n>  --weight-decay <x>   the head's training length and decay (default: chosen by 5-fold
                              cross-validation on train/; giving either one skips it: 3 epochs, 0.01)
      --lr <x> (0.001)  --batch-size <n> (32)  --seed <n> (42)
      --no-augment            do not add mirrored training images
      (without --model: the strongest backbone available, mobilenet_v2_1.0 at 288, else mobilenet_v1_0.75_224)
  predict <data-dir>          predict test/ and write a Kaggle submission (id,label = P(positive class))
      --model-file <file>     (default <data-dir>/finetuned.json)
      --out <file>            (default <data-dir>/submission.csv)
      --clip <p>              clip probabilities to [p, 1-p], e.g. 0.005 (limits log-loss damage)
      --positive-class <c>    class whose probability is the label (default dog/dogs)
  evaluate <data-dir>         accuracy, log loss and confusion matrix on valid/
      --model-file <file>
  report <data-dir>           HTML report (metrics, curves, confusion matrix, best/worst/uncertain images)
      --model-file <file>  --out <file> (default <data-dir>/report.html)
  classify <image>            ImageNet top-k with the full pretrained network
      --top <k> (5)

Options for every command that loads a model:
  --model <id>                backbone: ${Object.keys(BACKBONES).join(", ")}
                              (fit: see above; classify: mobilenet_v1_0.75_224)
  --from <dir|url>            model folder (manifest.json or model.json), manifest.json, model.json or .onnx file, or
                              their URL (else $COURSE_MODELS_FROM, the cache, the public URL)
  --image-size <px>           square input size, e.g. 288 (backbones with dynamic H/W; default: the trained size)
  --cache-dir <dir>           models, converted ONNX and features (default $COURSE_MODEL_CACHE or ~/.cache/course-training)
  --device <auto|cpu|cuda>    execution provider (default $COURSE_TRAINING_DEVICE or auto)
  --no-tta                    do not average with mirrored images at prediction time
  --no-cache                  do not read or write cached features
`;

const num = (name: string) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) return undefined;
      const n = Number(v);
      if (!Number.isFinite(n)) {
        ctx.addIssue({ code: "custom", message: `--${name} must be a number, got "${v}"` });
        return z.NEVER;
      }
      return n;
    });

const optionsSchema = z.object({
  test: z.string().optional(),
  "valid-fraction": num("valid-fraction"),
  seed: num("seed"),
  sample: num("sample"),
  copy: z.boolean().optional(),
  out: z.string().optional(),
  epochs: num("epochs"),
  lr: num("lr"),
  "weight-decay": num("weight-decay"),
  "batch-size": num("batch-size"),
  "no-augment": z.boolean().optional(),
  "model-file": z.string().optional(),
  clip: num("clip"),
  "positive-class": z.string().optional(),
  top: num("top"),
  "image-size": num("image-size"),
  model: z.string().optional(),
  from: z.string().optional(),
  "cache-dir": z.string().optional(),
  device: z.enum(["auto", "cpu", "cuda"]).optional(),
  "no-tta": z.boolean().optional(),
  "no-cache": z.boolean().optional(),
  help: z.boolean().optional(),
});
type Options = z.infer<typeof optionsSchema>;

function parse(argv: string[]): { command?: string; positionals: string[]; opts: Options } {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      test: { type: "string" },
      "valid-fraction": { type: "string" },
      seed: { type: "string" },
      sample: { type: "string" },
      copy: { type: "boolean" },
      out: { type: "string" },
      epochs: { type: "string" },
      lr: { type: "string" },
      "weight-decay": { type: "string" },
      "batch-size": { type: "string" },
      "no-augment": { type: "boolean" },
      "model-file": { type: "string" },
      clip: { type: "string" },
      "positive-class": { type: "string" },
      top: { type: "string" },
      "image-size": { type: "string" },
      model: { type: "string" },
      from: { type: "string" },
      "cache-dir": { type: "string" },
      device: { type: "string" },
      "no-tta": { type: "boolean" },
      "no-cache": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  const parsed = optionsSchema.safeParse(values);
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => `${i.path.join(".") ? `--${i.path.join(".")}: ` : ""}${i.message}`).join("\n"));
  const [command, ...rest] = positionals;
  return { command, positionals: rest, opts: parsed.data };
}

class UsageError extends Error {}

function need(positionals: string[], n: number, what: string): string[] {
  if (positionals.length !== n) throw new UsageError(`expected ${what}, got ${positionals.length ? positionals.join(" ") : "nothing"}`);
  return positionals;
}

function loadOptions(o: Options): BackboneLoadOptions {
  return { from: o.from, cacheDir: o["cache-dir"], device: o.device, imageSize: o["image-size"] };
}

async function restore(dataDir: string, o: Options): Promise<PretrainedClassifier> {
  const file = o["model-file"] ?? path.join(dataDir, "finetuned.json");
  const model = await PretrainedClassifier.restore(file, loadOptions(o));
  process.stderr.write(`loaded ${file} (${model.description}, classes ${model.classes.join(", ")})\n`);
  return model;
}

async function main(argv: string[]): Promise<void> {
  const { command, positionals, opts: o } = parse(argv);
  if (!command || o.help) {
    process.stdout.write(USAGE);
    return;
  }
  const progress = new ProgressReporter();
  const onProgress = progress.update.bind(progress);
  const predictOpts = { onProgress, tta: !o["no-tta"], cache: !o["no-cache"] };
  switch (command) {
    case "prepare": {
      const [src, out] = need(positionals, 2, "<kaggle-train-dir> <out-dir>");
      const s = await prepareKaggle({
        trainDir: src!,
        outDir: out!,
        testDir: o.test,
        validFraction: o["valid-fraction"],
        seed: o.seed,
        sampleSize: o.sample,
        mode: o.copy ? "copy" : "link",
      });
      for (const c of s.classes) {
        const n = s.counts[c]!;
        console.log(`${c}: train ${n.train}, valid ${n.valid}${n.sampleTrain ? `, sample ${n.sampleTrain}/${n.sampleValid}` : ""}`);
      }
      if (o.test) console.log(`test/unknown: ${s.test}`);
      console.log(`wrote ${s.outDir} (${s.linked} hard links, ${s.copied} copies)`);
      return;
    }
    case "fit": {
      const [dir] = need(positionals, 1, "<data-dir>");
      const started = performance.now();
      const data = await ImageFolder.load(dir!);
      if (!o.model && (o.from || o["image-size"])) throw new UsageError("--from and --image-size need --model <id> (without --model, fit picks the strongest backbone available)");
      const model = o.model
        ? await PretrainedClassifier.load(o.model, loadOptions(o))
        : await PretrainedClassifier.best({ cacheDir: o["cache-dir"], device: o.device, onFallback: (why) => process.stderr.write(`course-train: ${why}\n`) });
      process.stderr.write(`${model.description}${model.backbone.backendNote ? ` (${model.backbone.backendNote})` : ""}; classes: ${data.classes.join(", ")}; ${data.train.files.length} train, ${data.valid.files.length} valid images\n`);
      model.finetune(data.classes, { seed: o.seed });
      const history = await model.fit(data.train, data.valid, {
        ...predictOpts,
        epochs: o.epochs,
        learningRate: o.lr,
        weightDecay: o["weight-decay"],
        batchSize: o["batch-size"],
        seed: o.seed,
        augment: !o["no-augment"],
      });
      const out = o.out ?? path.join(dir!, "finetuned.json");
      await model.save(out);
      const last = history.epochs.at(-1);
      if (history.selection) {
        const c = history.selection.chosen;
        console.log(`head: ${c.epochs} epochs, weight decay ${c.weightDecay} (chosen by ${history.selection.folds}-fold cross-validation on train/)`);
      }
      console.log(`ran: ${model.description}`);
      console.log(
        `valid accuracy ${((last?.validAccuracy ?? NaN) * 100).toFixed(2)}%, valid loss ${(last?.validLoss ?? NaN).toFixed(4)}; ` +
          `features ${history.featureSeconds.toFixed(1)}s, head ${history.trainSeconds.toFixed(1)}s, total ${((performance.now() - started) / 1000).toFixed(1)}s`,
      );
      console.log(`saved ${out}`);
      await model.close();
      return;
    }
    case "predict": {
      const [dir] = need(positionals, 1, "<data-dir>");
      const data = await ImageFolder.load(dir!, { requireTest: true });
      const model = await restore(dir!, o);
      const preds = await model.predict(data.test, predictOpts);
      const out = await writeSubmission(preds, o.out ?? path.join(dir!, "submission.csv"), { clip: o.clip, positiveClass: o["positive-class"] });
      console.log(`wrote ${out} (${preds.ids.length} rows)`);
      await model.close();
      return;
    }
    case "evaluate": {
      const [dir] = need(positionals, 1, "<data-dir>");
      const data = await ImageFolder.load(dir!);
      const model = await restore(dir!, o);
      const ev = await model.evaluate(data.valid, predictOpts);
      console.log(`valid: ${ev.n} images, accuracy ${(ev.accuracy * 100).toFixed(2)}%, log loss ${ev.logLoss.toFixed(4)}`);
      const w = Math.max(8, ...ev.confusion.classes.map((c) => c.length)) + 2;
      console.log(`${"actual \\ predicted".padEnd(w + 8)}${ev.confusion.classes.map((c) => c.padStart(w)).join("")}`);
      ev.confusion.matrix.forEach((row, i) => console.log(`${ev.confusion.classes[i]!.padEnd(w + 8)}${row.map((v) => String(v).padStart(w)).join("")}`));
      await model.close();
      return;
    }
    case "report": {
      const [dir] = need(positionals, 1, "<data-dir>");
      const data = await ImageFolder.load(dir!);
      const modelFile = o["model-file"] ?? path.join(dir!, "finetuned.json");
      const model = await restore(dir!, o);
      const ev = await model.evaluate(data.valid, predictOpts);
      const saved = JSON.parse(await fs.readFile(modelFile, "utf8")) as { history?: { epochs?: [] } };
      const epochs = z
        .array(z.object({ epoch: z.number(), loss: z.number(), accuracy: z.number(), validLoss: z.number().optional(), validAccuracy: z.number().optional() }))
        .optional()
        .parse(saved.history?.epochs);
      const html = await renderReport({
        modelId: model.id,
        backend: model.description,
        classes: model.classes,
        evaluation: ev,
        interpretation: interpret(ev.predictions, data.valid.labels),
        epochs,
        notes: [`Validation set: ${path.join(data.root, "valid")}`],
      });
      const out = o.out ?? path.join(dir!, "report.html");
      await writeFileAtomic(out, html);
      if (epochs) await writeFileAtomic(out.replace(/\.html?$/, "") + "-curves.svg", trainingCurvesSvg(epochs));
      await writeFileAtomic(out.replace(/\.html?$/, "") + "-confusion.svg", confusionMatrixSvg(ev.confusion));
      console.log(`wrote ${out} (accuracy ${(ev.accuracy * 100).toFixed(2)}%)`);
      await model.close();
      return;
    }
    case "classify": {
      const [image] = need(positionals, 1, "<image>");
      const model = await PretrainedClassifier.load(o.model ?? "mobilenet_v1_0.75_224", loadOptions(o));
      for (const s of await model.classify(image!, o.top ?? 5)) console.log(`${(s.probability * 100).toFixed(2).padStart(6)}%  ${s.label}`);
      await model.close();
      return;
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

try {
  await main(process.argv.slice(2));
} catch (e) {
  if (e instanceof UsageError) {
    process.stderr.write(`course-train: ${e.message}\n\n${USAGE}`);
    process.exitCode = 2;
  } else if (e instanceof DatasetLayoutError || e instanceof ModelUnavailableError) {
    process.stderr.write(`course-train: ${e.message}\n`);
    process.exitCode = 1;
  } else {
    process.stderr.write(`course-train: ${(e as Error).message}\n`);
    if (process.env.COURSE_TRAIN_DEBUG) console.error(e);
    process.exitCode = 1;
  }
}
