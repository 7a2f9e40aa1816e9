import { createHash } from "node:crypto";
import { lstat, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBenchmark } from "../src/benchmark/create";
import { loadBenchmark, readLabels } from "../src/benchmark/manifest";
import { kaggleSampleDir, kaggleSubset } from "./helpers";

async function treeHashes(root: string, rel = ""): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(path.join(root, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) Object.assign(out, await treeHashes(root, r));
    else out[r] = createHash("sha256").update(await readFile(path.join(root, r))).digest("hex");
  }
  return out;
}

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "course-bench-"));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe("createBenchmark errors", () => {
  it("says what is wrong with the source layout", async () => {
    await expect(createBenchmark({ fromKaggle: path.join(tmp, "nope"), out: path.join(tmp, "o1") })).rejects.toThrow(/no such folder/);
    const kaggleRoot = path.join(tmp, "kaggle-root");
    await mkdir(path.join(kaggleRoot, "train"), { recursive: true });
    await expect(createBenchmark({ fromKaggle: kaggleRoot, out: path.join(tmp, "o2") })).rejects.toThrow(
      /no images found.*did you mean .*kaggle-root\/train\?/,
    );
    const mixed = path.join(tmp, "mixed");
    await mkdir(mixed);
    await writeFile(path.join(mixed, "cat.1.jpg"), "x");
    await writeFile(path.join(mixed, "dog.1.jpg"), "x");
    await writeFile(path.join(mixed, "1.jpg"), "x");
    await expect(createBenchmark({ fromKaggle: mixed, out: path.join(tmp, "o3") })).rejects.toThrow(
      /1 file\(s\) not named like cat.<N>.jpg.*"1.jpg"/,
    );
    const cats = path.join(tmp, "cats-only");
    await mkdir(cats);
    await writeFile(path.join(cats, "cat.1.jpg"), "x");
    await expect(createBenchmark({ fromKaggle: cats, out: path.join(tmp, "o4") })).rejects.toThrow(/only cats/);
  });

  it("refuses a non-empty output folder and bad fractions", async () => {
    const src = path.join(tmp, "tiny");
    await mkdir(src);
    for (let i = 0; i < 5; i++) {
      await writeFile(path.join(src, `cat.${i}.jpg`), `c${i}`);
      await writeFile(path.join(src, `dog.${i}.jpg`), `d${i}`);
    }
    const out = path.join(tmp, "full");
    await mkdir(out);
    await writeFile(path.join(out, "x"), "");
    await expect(createBenchmark({ fromKaggle: src, out })).rejects.toThrow(/not empty/);
    await expect(createBenchmark({ fromKaggle: src, out: path.join(tmp, "o5"), validFraction: 0.6, testFraction: 0.5 })).rejects.toThrow(
      /must be < 1/,
    );
    await expect(createBenchmark({ fromKaggle: src, out: path.join(tmp, "o6"), testFraction: -1 })).rejects.toThrow(/test fraction/);
  });
});

const sample = kaggleSampleDir();

describe.skipIf(!sample)("createBenchmark on the real Kaggle sample", () => {
  let src: string;
  let srcBefore: Record<string, string>;
  beforeAll(async () => {
    src = await kaggleSubset(sample as string, path.join(tmp, "kaggle"), 60);
    srcBefore = await treeHashes(sample as string);
  });

  it("builds train/valid/test, hidden labels and a manifest; deterministic with a seed", async () => {
    const events: string[] = [];
    const a = await createBenchmark({ fromKaggle: src, out: path.join(tmp, "bench-a"), seed: 7, onProgress: (e) => events.push(e.phase) });
    const b = await createBenchmark({ fromKaggle: src, out: path.join(tmp, "bench-b"), seed: 7 });
    const c = await createBenchmark({ fromKaggle: src, out: path.join(tmp, "bench-c"), seed: 8 });
    expect(events).toContain("copy");
    expect(events.at(-1)).toBe("done");

    const m = a.manifest;
    expect(m.counts).toEqual({ train: { cats: 36, dogs: 36 }, valid: { cats: 12, dogs: 12 }, test: 24, total: 120 });
    expect((await readdir(path.join(a.dir, "train/cats"))).length).toBe(36);
    expect((await readdir(path.join(a.dir, "valid/dogs"))).length).toBe(12);
    const test = (await readdir(path.join(a.dir, "test"))).sort((x, y) => parseInt(x) - parseInt(y));
    expect(test).toEqual(Array.from({ length: 24 }, (_, i) => `${i + 1}.jpg`));

    // labels are hidden, private to the runner, and match the source images byte for byte
    const labels = await readLabels(path.join(a.dir, "hidden/labels.csv"));
    expect(labels.size).toBe(24);
    expect([...labels.values()].filter((l) => l === 1).length).toBe(12);
    expect((await stat(path.join(a.dir, "hidden"))).mode & 0o777).toBe(0o700);
    const srcByHash = new Map<string, string>();
    for (const f of await readdir(src)) srcByHash.set(createHash("sha256").update(await readFile(path.join(src, f))).digest("hex"), f);
    for (const [id, label] of labels) {
      const h = createHash("sha256").update(await readFile(path.join(a.dir, "test", `${id}.jpg`))).digest("hex");
      expect(srcByHash.get(h)?.startsWith(label === 1 ? "dog." : "cat.")).toBe(true);
    }
    // ids are shuffled: labels are not sorted cats-then-dogs
    const seq = [...labels.entries()].sort((x, y) => x[0] - y[0]).map((e) => e[1]).join("");
    expect(seq).not.toBe("0".repeat(12) + "1".repeat(12));

    // same input + seed -> identical files; another seed -> another split
    const [ha, hb, hc] = await Promise.all([treeHashes(a.dir), treeHashes(b.dir), treeHashes(c.dir)]);
    delete ha["benchmark.json"];
    delete hb["benchmark.json"];
    delete hc["benchmark.json"];
    expect(ha).toEqual(hb);
    expect(a.manifest.hashes).toEqual(b.manifest.hashes);
    expect({ ...a.manifest, created: "", name: "" }).toEqual({ ...b.manifest, created: "", name: "" });
    expect(hc["hidden/labels.csv"]).not.toBe(ha["hidden/labels.csv"]);

    const loaded = await loadBenchmark(a.dir);
    expect(loaded.manifest).toEqual(a.manifest);
    expect(loaded.labelsPath).toBe(path.join(a.dir, "hidden/labels.csv"));

    // the source is never modified
    expect(await treeHashes(sample as string)).toEqual(srcBefore);
  });

  it("--link hard-links train/valid but always copies test images (their order must not leak)", async () => {
    // Real files of our own (hard links to the shared assets would touch their ctime).
    const own = path.join(tmp, "own-copy");
    await mkdir(own);
    for (const f of (await readdir(src)).filter((_, i) => i % 3 === 0)) await writeFile(path.join(own, f), await readFile(path.join(src, f)));
    const linked = await createBenchmark({ fromKaggle: own, out: path.join(tmp, "bench-linked"), seed: 7, link: true });
    const trainCat = (await readdir(path.join(linked.dir, "train/cats")))[0] as string;
    const a = await lstat(path.join(linked.dir, "train/cats", trainCat));
    const b = await stat(path.join(own, trainCat));
    expect(a.isFile()).toBe(true);
    expect(a.ino).toBe(b.ino);
    const t = await stat(path.join(linked.dir, "test/1.jpg"));
    expect(t.nlink).toBe(1);
    await rm(linked.dir, { recursive: true, force: true });
  });

  it("loadBenchmark names the broken field", async () => {
    const dir = path.join(tmp, "broken");
    await mkdir(path.join(dir, "train"), { recursive: true });
    await writeFile(path.join(dir, "benchmark.json"), JSON.stringify({ format: 1, name: "x", seed: "seven" }));
    await expect(loadBenchmark(dir)).rejects.toThrow(/benchmark.json: field seed/);
  });
});
