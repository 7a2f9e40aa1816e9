import { gaussian, rng, shuffleInPlace } from "./random";

/**
 * The trainable head: softmax regression over standardised pooled features,
 * trained with mini-batch AdamW in plain TypeScript (no gradients through the backbone).
 */

export interface HeadState {
  classes: string[];
  dim: number;
  /** Row-major [classes x dim]. */
  weights: number[];
  bias: number[];
  /** Feature standardisation learned on the training set. */
  mean: number[];
  std: number[];
}

export interface TrainOptions {
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  /** Decoupled weight decay (AdamW). */
  weightDecay?: number;
  seed?: number;
}

export interface EpochStats {
  epoch: number;
  loss: number;
  accuracy: number;
}

export class SoftmaxHead {
  readonly k: number;
  readonly w: Float32Array;
  readonly b: Float32Array;
  mean: Float32Array;
  std: Float32Array;

  constructor(
    readonly classes: string[],
    readonly dim: number,
    seed = 0,
  ) {
    if (classes.length < 2) throw new Error(`a classifier needs at least 2 classes, got ${classes.length}`);
    this.k = classes.length;
    this.w = new Float32Array(this.k * dim);
    this.b = new Float32Array(this.k);
    this.mean = new Float32Array(dim);
    this.std = new Float32Array(dim).fill(1);
    const random = rng(seed ^ 0x9e3779b9);
    const scale = 0.01;
    for (let i = 0; i < this.w.length; i++) this.w[i] = gaussian(random) * scale;
  }

  static fromState(s: HeadState): SoftmaxHead {
    const h = new SoftmaxHead(s.classes, s.dim);
    if (s.weights.length !== h.w.length || s.bias.length !== h.k || s.mean.length !== s.dim || s.std.length !== s.dim) {
      throw new Error(`head state does not match ${s.classes.length} classes x ${s.dim} features`);
    }
    h.w.set(s.weights);
    h.b.set(s.bias);
    h.mean = Float32Array.from(s.mean);
    h.std = Float32Array.from(s.std);
    return h;
  }

  state(): HeadState {
    return {
      classes: this.classes,
      dim: this.dim,
      weights: Array.from(this.w),
      bias: Array.from(this.b),
      mean: Array.from(this.mean),
      std: Array.from(this.std),
    };
  }

  fitStandardisation(xs: readonly Float32Array[]): void {
    const d = this.dim;
    const mean = new Float64Array(d);
    const sq = new Float64Array(d);
    for (const x of xs) {
      for (let j = 0; j < d; j++) {
        const v = x[j]!;
        mean[j] = mean[j]! + v;
        sq[j] = sq[j]! + v * v;
      }
    }
    for (let j = 0; j < d; j++) {
      const m = mean[j]! / xs.length;
      this.mean[j] = m;
      this.std[j] = Math.sqrt(Math.max(sq[j]! / xs.length - m * m, 0)) + 1e-3;
    }
  }

  private standardise(x: Float32Array, out: Float32Array): void {
    for (let j = 0; j < this.dim; j++) out[j] = (x[j]! - this.mean[j]!) / this.std[j]!;
  }

  /** Class probabilities for one feature vector. */
  predictOne(x: Float32Array, z = new Float32Array(this.dim)): Float32Array {
    if (x.length !== this.dim) throw new Error(`feature vector has ${x.length} values, the head expects ${this.dim}`);
    this.standardise(x, z);
    const p = new Float32Array(this.k);
    let max = -Infinity;
    for (let c = 0; c < this.k; c++) {
      let s = this.b[c]!;
      const row = c * this.dim;
      for (let j = 0; j < this.dim; j++) s += this.w[row + j]! * z[j]!;
      p[c] = s;
      if (s > max) max = s;
    }
    let sum = 0;
    for (let c = 0; c < this.k; c++) sum += p[c] = Math.exp(p[c]! - max);
    for (let c = 0; c < this.k; c++) p[c]! /= sum;
    return p;
  }

  predict(xs: readonly Float32Array[]): Float32Array[] {
    const z = new Float32Array(this.dim);
    return xs.map((x) => this.predictOne(x, z));
  }

  /**
   * Train on (features, labels). Calls `onEpoch` after each epoch; the seed fixes
   * the mini-batch order, so the same inputs give the same weights.
   */
  train(xs: readonly Float32Array[], ys: readonly number[], opts: TrainOptions = {}, onEpoch?: (s: EpochStats) => void): EpochStats[] {
    const epochs = opts.epochs ?? 3;
    const batchSize = opts.batchSize ?? 32;
    const lr = opts.learningRate ?? 1e-3;
    const wd = opts.weightDecay ?? 1e-2;
    const random = rng(opts.seed ?? 42);
    if (xs.length !== ys.length) throw new Error(`${xs.length} feature vectors but ${ys.length} labels`);
    if (xs.length === 0) throw new Error("no training examples");
    for (const y of ys) if (!(y >= 0 && y < this.k)) throw new Error(`label ${y} out of range for ${this.k} classes`);
    this.fitStandardisation(xs);
    const d = this.dim;
    const k = this.k;
    const zs = xs.map((x) => {
      const z = new Float32Array(d);
      this.standardise(x, z);
      return z;
    });
    const gw = new Float32Array(k * d);
    const gb = new Float32Array(k);
    const mw = new Float32Array(k * d), vw = new Float32Array(k * d);
    const mb = new Float32Array(k), vb = new Float32Array(k);
    const beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
    const p = new Float32Array(k);
    let step = 0;
    const order = Array.from(xs, (_, i) => i);
    const history: EpochStats[] = [];
    for (let epoch = 1; epoch <= epochs; epoch++) {
      shuffleInPlace(order, random);
      let lossSum = 0;
      let correct = 0;
      for (let start = 0; start < order.length; start += batchSize) {
        const batch = order.slice(start, start + batchSize);
        gw.fill(0);
        gb.fill(0);
        for (const i of batch) {
          const z = zs[i]!;
          const y = ys[i]!;
          let max = -Infinity;
          for (let c = 0; c < k; c++) {
            let s = this.b[c]!;
            const row = c * d;
            for (let j = 0; j < d; j++) s += this.w[row + j]! * z[j]!;
            p[c] = s;
            if (s > max) max = s;
          }
          let sum = 0;
          let best = 0;
          for (let c = 0; c < k; c++) {
            sum += p[c] = Math.exp(p[c]! - max);
            if (p[c]! > p[best]!) best = c;
          }
          for (let c = 0; c < k; c++) p[c]! /= sum;
          lossSum += -Math.log(Math.max(p[y]!, 1e-12));
          if (best === y) correct++;
          for (let c = 0; c < k; c++) {
            const g = p[c]! - (c === y ? 1 : 0);
            gb[c]! += g;
            const row = c * d;
            for (let j = 0; j < d; j++) gw[row + j]! += g * z[j]!;
          }
        }
        step++;
        const n = batch.length;
        const c1 = 1 - Math.pow(beta1, step);
        const c2 = 1 - Math.pow(beta2, step);
        for (let i = 0; i < gw.length; i++) {
          const g = gw[i]! / n;
          mw[i] = beta1 * mw[i]! + (1 - beta1) * g;
          vw[i] = beta2 * vw[i]! + (1 - beta2) * g * g;
          this.w[i] = this.w[i]! * (1 - lr * wd) - (lr * (mw[i]! / c1)) / (Math.sqrt(vw[i]! / c2) + eps);
        }
        for (let c = 0; c < k; c++) {
          const g = gb[c]! / n;
          mb[c] = beta1 * mb[c]! + (1 - beta1) * g;
          vb[c] = beta2 * vb[c]! + (1 - beta2) * g * g;
          this.b[c] = this.b[c]! - (lr * (mb[c]! / c1)) / (Math.sqrt(vb[c]! / c2) + eps);
        }
      }
      const stats = { epoch, loss: lossSum / order.length, accuracy: correct / order.length };
      history.push(stats);
      onEpoch?.(stats);
    }
    return history;
  }
}
