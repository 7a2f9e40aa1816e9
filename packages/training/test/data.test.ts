import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DatasetLayoutError, ImageFolder } from "../src/data";
import { prepareKaggle } from "../src/prepare";
import { makeColourDataset, tempDir, writeImage } from "./helpers";

const RED: [number, number, number] = [220, 30, 30];
const BLUE: [number, number, number] = [30, 30, 220];
const GREEN: [number, number, number] = [30, 200, 30];

async function layoutError(root: string): Promise<DatasetLayoutError> {
  const e = await ImageFolder.load(root).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DatasetLayoutError);
  const err = e as DatasetLayoutError;
  // Every layout error shows the expected layout and what was found.
  expect(err.message).toContain("Expected layout:");
  expect(err.message).toContain("train/<class>/<image>");
  expect(err.message).toContain("Found:");
  return err;
}

describe("ImageFolder", () => {
  it("reads any number of classes, flat test/ and natural-sorted ids", async () => {
    const root = tempDir("ok");
    await makeColourDataset(root, { reds: RED, blues: BLUE, greens: GREEN }, { train: 3, valid: 2 }, 11);
    fs.writeFileSync(path.join(root, "train", "reds", ".DS_Store"), "x"); // hidden files are ignored
    const data = await ImageFolder.load(root);
    expect(data.classes).toEqual(["blues", "greens", "reds"]);
    expect(data.train.files).toHaveLength(9);
    expect(data.train.labels).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2]);
    expect(data.valid.files).toHaveLength(6);
    expect(data.test!.ids.slice(0, 3)).toEqual(["1", "2", "3"]);
    expect(data.test!.ids.at(-1)).toBe("11");
  });

  it("accepts test/<anything>/ and no test/ at all", async () => {
    const root = tempDir("testsub");
    await makeColourDataset(root, { cats: RED, dogs: BLUE }, { train: 2, valid: 1 }, 0);
    expect((await ImageFolder.load(root)).test).toBeUndefined();
    await writeImage(path.join(root, "test", "unknown", "7.jpg"), RED);
    await writeImage(path.join(root, "test", "unknown", "8.png"), BLUE, { format: "png" });
    const data = await ImageFolder.load(root);
    expect(data.test!.ids).toEqual(["7", "8"]);
  });

  it("explains images directly in train/ (no class folders) and a missing valid/", async () => {
    const root = tempDir("flat");
    await writeImage(path.join(root, "train", "cat.0.jpg"), RED);
    await writeImage(path.join(root, "train", "dog.0.jpg"), BLUE);
    const e = await layoutError(root);
    expect(e.problems).toContain("train/: no class folders");
    expect(e.problems.join("\n")).toMatch(/2 file\(s\) directly in train\/ \(cat\.0\.jpg, dog\.0\.jpg\)/);
    expect(e.problems).toContain("valid/: missing");
    expect(e.message).toContain("course-train prepare");
    expect(e.found).toMatch(/train\/ {2}2 file\(s\)/);
  });

  it("explains a single class, an empty class, a class missing from valid/, images too deep and non-images", async () => {
    const one = tempDir("one");
    await makeColourDataset(one, { cats: RED }, { train: 2, valid: 1 }, 0);
    expect((await layoutError(one)).problems.join("\n")).toMatch(/only one class \(cats\)/);

    const root = tempDir("many");
    await makeColourDataset(root, { cats: RED, dogs: BLUE, birds: GREEN }, { train: 2, valid: 1 }, 0);
    fs.rmSync(path.join(root, "valid", "birds"), { recursive: true });
    fs.mkdirSync(path.join(root, "train", "empty"));
    fs.mkdirSync(path.join(root, "valid", "empty"));
    await writeImage(path.join(root, "train", "dogs", "nested", "deep.jpg"), BLUE);
    fs.writeFileSync(path.join(root, "train", "cats", "notes.txt"), "not an image");
    fs.writeFileSync(path.join(root, "train", "cats", "broken.jpg"), "not really a jpeg");
    const problems = (await layoutError(root)).problems.join("\n");
    expect(problems).toMatch(/train\/empty\/: no images \(empty class\)/);
    expect(problems).toMatch(/valid\/: class folder\(s\) missing: birds/);
    expect(problems).toMatch(/train\/dogs\/: has sub-folders \(nested\)/);
    expect(problems).toMatch(/train\/cats\/: 2 file\(s\) are not readable images: broken\.jpg, notes\.txt/);
  });

  it("explains a path that is not a folder", async () => {
    const e = await layoutError(path.join(tempDir("none"), "nope"));
    expect(e.problems[0]).toMatch(/is not a folder/);
  });
});

describe("prepareKaggle", () => {
  async function kaggle(n: number): Promise<{ train: string; test: string }> {
    const root = tempDir("kaggle");
    for (let i = 0; i < n; i++) {
      await writeImage(path.join(root, "train", `cat.${i}.jpg`), RED, { seed: i });
      await writeImage(path.join(root, "train", `dog.${i}.jpg`), BLUE, { seed: 100 + i });
    }
    for (let i = 1; i <= 5; i++) await writeImage(path.join(root, "test1", `${i}.jpg`), GREEN, { seed: i });
    return { train: path.join(root, "train"), test: path.join(root, "test1") };
  }

  const listing = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []);

  it("builds train/valid/test/unknown and sample/ with a seeded split, leaving the source untouched", async () => {
    const src = await kaggle(10);
    const before = listing(src.train);
    const out = path.join(tempDir("prep"), "data");
    const s = await prepareKaggle({ trainDir: src.train, testDir: src.test, outDir: out, validFraction: 0.2, seed: 1, sampleSize: 3 });
    expect(s.classes).toEqual(["cats", "dogs"]);
    expect(s.counts.cats).toEqual({ train: 8, valid: 2, sampleTrain: 3, sampleValid: 1 });
    expect(s.test).toBe(5);
    expect(s.linked + s.copied).toBe(2 * (8 + 2 + 3 + 1) + 5);
    expect(listing(src.train)).toEqual(before);
    expect(listing(path.join(out, "test", "unknown"))).toHaveLength(5);
    const data = await ImageFolder.load(out);
    expect(data.train.files).toHaveLength(16);
    expect(data.valid.files.every((f) => /valid\/(cats\/cat|dogs\/dog)\./.test(f))).toBe(true);
    const sample = await ImageFolder.load(path.join(out, "sample"));
    expect(sample.train.files).toHaveLength(6);
    // No image is in both train/ and valid/.
    const names = (split: string) => new Set([...listing(path.join(out, split, "cats")), ...listing(path.join(out, split, "dogs"))]);
    const t = names("train");
    expect([...names("valid")].some((n) => t.has(n))).toBe(false);

    // Same seed, same split; another seed, another split.
    const again = path.join(tempDir("prep2"), "data");
    await prepareKaggle({ trainDir: src.train, outDir: again, seed: 1 });
    expect(listing(path.join(again, "valid", "cats"))).toEqual(listing(path.join(out, "valid", "cats")));
    const other = path.join(tempDir("prep3"), "data");
    await prepareKaggle({ trainDir: src.train, outDir: other, seed: 2 });
    expect(listing(path.join(other, "valid", "cats")).join()).not.toEqual(listing(path.join(out, "valid", "cats")).join());
  });

  it("copies with mode copy, refuses a non-empty output and unrecognised names", async () => {
    const src = await kaggle(3);
    const out = path.join(tempDir("copy"), "data");
    const s = await prepareKaggle({ trainDir: src.train, outDir: out, mode: "copy" });
    expect(s.linked).toBe(0);
    expect(fs.statSync(path.join(out, "train", "cats", fs.readdirSync(path.join(out, "train", "cats"))[0]!)).nlink).toBe(1);
    await expect(prepareKaggle({ trainDir: src.train, outDir: out })).rejects.toThrow(/already exists and is not empty/);
    fs.writeFileSync(path.join(src.train, "readme.txt"), "x");
    await expect(prepareKaggle({ trainDir: src.train, outDir: path.join(tempDir("x"), "d") })).rejects.toThrow(/readme\.txt/);
  });
});
