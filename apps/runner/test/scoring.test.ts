import { describe, expect, it } from "vitest";
import { scorePredictions, splitOf } from "../src/scoring/score";
import { describeSubmissionProblems, validateSubmission } from "../src/scoring/submission";

const ids = (n: number) => new Set(Array.from({ length: n }, (_, i) => i + 1));

function invalid(text: string | Buffer, expected = ids(3), maxBytes?: number) {
  const v = validateSubmission(text, expected, { maxBytes });
  if (v.ok) throw new Error("expected an invalid submission");
  return v;
}

describe("validateSubmission", () => {
  it("accepts a good file, with a UTF-8 BOM and CRLF line ends", () => {
    const v = validateSubmission("\uFEFFid,label\r\n1,0.9\r\n3,0\r\n2,1e-3\r\n", ids(3));
    expect(v.ok).toBe(true);
    if (v.ok) expect([...v.predictions.entries()].sort()).toEqual([[1, 0.9], [2, 0.001], [3, 0]]);
  });

  it("rejects a wrong header and extra columns", () => {
    expect(invalid("id,prob\n1,0.5\n").problems[0]).toEqual({ line: 1, message: 'header must be exactly "id,label", got "id,prob"' });
    expect(invalid("id,label,extra\n1,0.5,x\n").problems[0]?.line).toBe(1);
    const v = invalid("id,label\n1,0.5,x\n2,0.5\n3,0.5\n");
    expect(v.problems[0]).toEqual({ line: 2, message: "expected 2 columns (id,label), got 3" });
  });

  it("rejects NaN, text, empty, inf and out-of-range labels with line numbers", () => {
    const v = invalid("id,label\n1,NaN\n2,dog\n3,\n4,inf\n5,Infinity\n6,1.5\n7,-0.1\n8,0x1\n", ids(8));
    expect(v.problems.slice(0, 8).map((p) => p.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    expect(v.problems[0]?.message).toContain('got "NaN"');
    expect(v.problems[5]?.message).toBe("label must be in [0, 1], got 1.5");
    expect(v.lineProblemCount).toBe(8);
  });

  it("names missing, duplicate and unknown ids with counts", () => {
    const v = invalid("id,label\n1,0.5\n1,0.4\n99,0.5\n100,0.5\n", ids(10));
    expect(v.duplicates).toEqual({ count: 1, first: [1] });
    expect(v.unknown).toEqual({ count: 2, first: [99, 100] });
    expect(v.missing).toEqual({ count: 9, first: [2, 3, 4, 5, 6] });
    expect(v.problems).toContainEqual({ line: 3, message: "duplicate id 1" });
    expect(v.problems).toContainEqual({ line: 4, message: "unknown id 99" });
    const text = describeSubmissionProblems(v);
    expect(text).toContain("9 test id(s) missing, e.g. 2, 3, 4, 5, 6");
    expect(text).toContain("1 duplicate id(s), e.g. 1");
    expect(text).toContain("2 unknown id(s), e.g. 99, 100");
  });

  it("lists only the first problems but counts them all", () => {
    const rows = Array.from({ length: 50 }, (_, i) => `${i + 1},x`).join("\n");
    const v = invalid(`id,label\n${rows}\n`, ids(50));
    expect(v.problems.filter((p) => p.line !== undefined)).toHaveLength(10);
    expect(v.lineProblemCount).toBe(50);
    expect(describeSubmissionProblems(v)).toContain("50 line problem(s) in all");
  });

  it("rejects empty files, blank lines in the middle and oversized files", () => {
    expect(invalid("").problems[0]?.message).toContain("empty");
    expect(invalid("id,label\n1,0.5\n\n2,0.5\n3,0.5\n").problems[0]).toEqual({ line: 3, message: "empty line" });
    expect(invalid("id,label\n1,0.5\n2,0.5\n3,0.5\n", ids(3), 10).problems[0]?.message).toContain("limit is 10 bytes");
  });
});

describe("scorePredictions", () => {
  it("computes accuracy and clipped log loss on public, private and overall", () => {
    const labels = new Map<number, 0 | 1>([
      [1, 1],
      [2, 0],
      [3, 1],
      [4, 0],
    ]);
    const preds = new Map([
      [1, 0.8],
      [2, 0.3],
      [3, 0.4],
      [4, 0], // perfect, clipped to 1e-15 -> tiny loss
    ]);
    const s = scorePredictions(preds, labels, "salt");
    expect(s.overall.count).toBe(4);
    expect(s.overall.accuracy).toBe(0.75);
    const expectedLoss = -(Math.log(0.8) + Math.log(0.7) + Math.log(0.4) + Math.log(1 - 1e-15)) / 4;
    expect(s.overall.logLoss).toBeCloseTo(expectedLoss, 12);
    expect(s.public.count + s.private.count).toBe(4);
  });

  it("clips a confidently wrong prediction to log(1e-15) instead of infinity", () => {
    const s = scorePredictions(new Map([[1, 0]]), new Map<number, 0 | 1>([[1, 1]]), "x");
    expect(s.overall.logLoss).toBeCloseTo(-Math.log(1e-15), 6);
    expect(s.overall.accuracy).toBe(0);
  });

  it("counts P(dog) = 0.5 as a dog", () => {
    const s = scorePredictions(new Map([[1, 0.5], [2, 0.5]]), new Map<number, 0 | 1>([[1, 1], [2, 0]]), "x");
    expect(s.overall.accuracy).toBe(0.5);
  });

  it("splits public/private deterministically and roughly 50/50", () => {
    let pub = 0;
    for (let id = 1; id <= 10_000; id++) if (splitOf("salt-a", id) === "public") pub++;
    expect(pub).toBeGreaterThan(4800);
    expect(pub).toBeLessThan(5200);
    expect(splitOf("salt-a", 17)).toBe(splitOf("salt-a", 17));
    const differs = Array.from({ length: 100 }, (_, i) => splitOf("salt-a", i) !== splitOf("salt-b", i)).filter(Boolean).length;
    expect(differs).toBeGreaterThan(20);
  });

  it("validates and scores 12,500 rows quickly", () => {
    const n = 12_500;
    const labels = new Map<number, 0 | 1>();
    const lines = ["id,label"];
    for (let id = 1; id <= n; id++) {
      labels.set(id, (id * 7919) % 3 === 0 ? 1 : 0);
      lines.push(`${id},${((id * 104729) % 1000) / 1000}`);
    }
    const text = lines.join("\n") + "\n";
    const t0 = performance.now();
    const v = validateSubmission(text, new Set(labels.keys()));
    if (!v.ok) throw new Error("expected valid");
    const s = scorePredictions(v.predictions, labels, "salt");
    const ms = performance.now() - t0;
    console.log(`validated and scored ${n} rows in ${ms.toFixed(1)} ms`);
    expect(s.overall.count).toBe(n);
    expect(ms).toBeLessThan(1000);
  });
});

