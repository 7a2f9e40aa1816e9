import { describe, expect, it } from "vitest";
import { ProgressReporter, formatSeconds } from "../src/progress";

function sink() {
  const chunks: string[] = [];
  return { chunks, stream: { write: (s: string) => chunks.push(s) > 0 } as unknown as NodeJS.WriteStream };
}

describe("ProgressReporter", () => {
  const feature = (done: number) => ({ phase: "features" as const, split: "train", done, total: 100, cached: 0, imagesPerSecond: 50, etaSeconds: (100 - done) / 50 });
  const epoch = { phase: "epoch" as const, epoch: 1, epochs: 2, loss: 0.25, accuracy: 0.9, validLoss: 0.3, validAccuracy: 0.875, elapsedSeconds: 1, etaSeconds: 1 };

  it("redraws one bar on a terminal", () => {
    const { chunks, stream } = sink();
    const p = new ProgressReporter(stream, true);
    for (let d = 10; d <= 100; d += 10) p.update(feature(d));
    p.update(epoch);
    expect(chunks.every((c) => c.startsWith("\r"))).toBe(true);
    expect(chunks[0]).toContain("[###");
    expect(chunks.filter((c) => c.endsWith("\n"))).toHaveLength(2); // finished bar + epoch line
    expect(chunks.at(-1)).toContain("valid accuracy 87.50%");
  });

  it("writes a few plain lines when not a terminal", () => {
    const { chunks, stream } = sink();
    const p = new ProgressReporter(stream, false);
    for (let d = 1; d <= 100; d++) p.update(feature(d));
    p.update(epoch);
    expect(chunks.some((c) => c.includes("\r"))).toBe(false);
    expect(chunks.length).toBeLessThanOrEqual(6);
    expect(chunks.at(-2)).toMatch(/100\/100 100%/);
    expect(chunks.at(-1)).toBe("epoch 1/2  loss 0.2500  accuracy 90.00%  valid loss 0.3000  valid accuracy 87.50%  ETA 1s\n");
    expect(formatSeconds(125)).toBe("2m05s");
  });
});
