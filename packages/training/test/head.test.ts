import { describe, expect, it } from "vitest";
import { SoftmaxHead } from "../src/head";
import { accuracy, confusionMatrix, logLoss } from "../src/metrics";
import { rng, gaussian } from "../src/random";
import { submissionCsv } from "../src/submission";
import type { Predictions } from "../src/classifier";

function blobs(n: number, k: number, d: number, seed: number): { xs: Float32Array[]; ys: number[] } {
  const r = rng(seed);
  const centres = Array.from({ length: k }, () => Float32Array.from({ length: d }, () => gaussian(r) * 3));
  const xs: Float32Array[] = [];
  const ys: number[] = [];
  for (let i = 0; i < n; i++) {
    const y = i % k;
    xs.push(Float32Array.from(centres[y]!, (c) => c + gaussian(r)));
    ys.push(y);
  }
  return { xs, ys };
}

describe("SoftmaxHead", () => {
  it("learns a 4-class problem and generalises to held-out points", () => {
    const train = blobs(400, 4, 16, 1);
    const fresh = blobs(600, 4, 16, 1); // same centres (same seed); the last 200 points were not trained on
    const head = new SoftmaxHead(["a", "b", "c", "d"], 16, 3);
    const history = head.train(train.xs, train.ys, { epochs: 5 });
    expect(history).toHaveLength(5);
    expect(history.at(-1)!.loss).toBeLessThan(history[0]!.loss);
    expect(accuracy(head.predict(fresh.xs.slice(400)), fresh.ys.slice(400))).toBeGreaterThan(0.95);
    for (const p of head.predict(train.xs.slice(0, 5))) expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });

  it("is repeatable for a seed and differs for another", () => {
    const { xs, ys } = blobs(120, 3, 8, 9);
    const run = (seed: number) => {
      const h = new SoftmaxHead(["x", "y", "z"], 8, seed);
      h.train(xs, ys, { epochs: 2, seed });
      return Array.from(h.w);
    };
    expect(run(5)).toEqual(run(5));
    expect(run(5)).not.toEqual(run(6));
  });

  it("round-trips its state and validates inputs", () => {
    const { xs, ys } = blobs(60, 2, 4, 2);
    const h = new SoftmaxHead(["neg", "pos"], 4);
    h.train(xs, ys, { epochs: 1 });
    const copy = SoftmaxHead.fromState(JSON.parse(JSON.stringify(h.state())));
    expect(copy.predict(xs.slice(0, 3))).toEqual(h.predict(xs.slice(0, 3)));
    expect(() => new SoftmaxHead(["only"], 4)).toThrow(/at least 2 classes/);
    expect(() => h.train(xs, ys.slice(1))).toThrow(/labels/);
    expect(() => h.predictOne(new Float32Array(3))).toThrow(/expects 4/);
  });
});

describe("metrics", () => {
  const probs = [
    [0.9, 0.1],
    [0.2, 0.8],
    [0.6, 0.4],
    [0.3, 0.7],
  ];
  const labels = [0, 1, 1, 1];
  it("computes accuracy, log loss and the confusion matrix", () => {
    expect(accuracy(probs, labels)).toBe(0.75);
    expect(logLoss(probs, labels)).toBeCloseTo(-(Math.log(0.9) + Math.log(0.8) + Math.log(0.4) + Math.log(0.7)) / 4, 10);
    expect(confusionMatrix(probs, labels, ["cats", "dogs"]).matrix).toEqual([
      [1, 0],
      [1, 2],
    ]);
    expect(logLoss([[1, 0]], [1])).toBeCloseTo(-Math.log(1e-15), 5); // clipped, not infinite
  });
});

describe("submission", () => {
  const preds: Predictions = {
    files: ["/t/10.jpg", "/t/2.jpg", "/t/1.jpg"],
    ids: ["10", "2", "1"],
    classes: ["cats", "dogs"],
    probs: [
      [0.001, 0.999],
      [0.7, 0.3],
      [0.9999, 0.0001],
    ],
  };
  it("writes id,label = P(dog), sorted by id, optionally clipped", () => {
    expect(submissionCsv(preds)).toBe("id,label\n1,0.0001\n2,0.3\n10,0.999\n");
    expect(submissionCsv(preds, { clip: 0.005 })).toBe("id,label\n1,0.005\n2,0.3\n10,0.995\n");
    expect(submissionCsv(preds, { positiveClass: "cats" }).split("\n")[1]).toBe("1,0.9999");
    expect(() => submissionCsv(preds, { positiveClass: "birds" })).toThrow(/not one of: cats, dogs/);
    expect(() => submissionCsv({ ...preds, classes: ["a", "b", "c"], probs: [[1, 0, 0]] })).toThrow(/positiveClass/);
  });
});
