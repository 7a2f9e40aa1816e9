import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { findRepoRoot } from "@course/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureCourseIndexed, indexCourse, indexDocuments, removeDocuments, search } from "~/server/search";
import { createCaller } from "~/server/trpc/root";
import { eachBackend } from "./support/backends";

// A copy of the repository's content/ with a synthetic lesson-1 transcript (the real one is never committed).
const CUES = [
  { start: 0, end: 8, text: "Welcome to the first lesson, where we train an image classifier together." },
  { start: 83, end: 100, text: "How this course is taught: top down, starting from the whole game." },
  { start: 540, end: 900, text: "An intuition for gradient descent: small steps downhill on the loss surface." },
  { start: 900, end: 1378, text: "Call learn.lr_find() and pick a rate before the loss shoots up, then try resnet34." },
];
let contentDir = "";
beforeAll(() => {
  contentDir = fs.mkdtempSync(path.join(os.tmpdir(), "search-content-"));
  fs.cpSync(path.join(findRepoRoot(), "content"), contentDir, { recursive: true });
  fs.writeFileSync(path.join(contentDir, "lessons", "lesson-1.transcript.json"), JSON.stringify({ version: 1, language: "en", cues: CUES }));
  process.env.COURSE_CONTENT_DIR = contentDir;
});
afterAll(() => fs.rmSync(contentDir, { recursive: true, force: true }));

eachBackend((db) => {
  const find = (q: string, kinds?: ("lesson" | "transcript" | "wiki" | "post")[]) => search(db().prisma, { q, kinds });

  describe("search documents", () => {
    it("ranks a match in the title above the same match in the body", async () => {
      await indexDocuments(db().prisma, "wiki", [
        { key: "body", url: "/wiki/Body", title: "Notes on training", body: "We used the learning rate finder before fitting." },
        { key: "title", url: "/wiki/Title", title: "Learning rate finder", body: "How to choose a rate." },
        { key: "none", url: "/wiki/None", title: "Unrelated", body: "Nothing to see here." },
      ]);
      const result = await find("learning rate finder");
      expect(result.hits.map((h) => h.key)).toEqual(["title", "body"]);
      expect(result.total).toBe(2);
      expect(result.hits[0]!.titleHtml).toBe("<mark>Learning</mark> <mark>rate</mark> <mark>finder</mark>");
    });

    it("escapes the document's HTML in snippets and titles, marking only the matches", async () => {
      await indexDocuments(db().prisma, "post", [
        {
          key: "xss",
          url: "/forum/t/1",
          title: `<img src=x onerror=alert(1)> gradient`,
          body: `Before <script>alert("gradient")</script> and a fake <mark>gradient</mark> & "quotes" \u0001 gradient descent.`,
        },
      ]);
      const [hit] = (await find("gradient")).hits;
      expect(hit).toBeDefined();
      expect(hit!.snippetHtml).not.toMatch(/<script|<img/);
      expect(hit!.snippetHtml).toContain("&lt;script&gt;alert(&quot;<mark>gradient</mark>&quot;)&lt;/script&gt;");
      expect(hit!.snippetHtml).toContain("&lt;mark&gt;<mark>gradient</mark>&lt;/mark&gt; &amp; &quot;quotes&quot;");
      // Only our marks are tags: strip them and nothing tag-like is left.
      expect(hit!.snippetHtml.replace(/<\/?mark>/g, "")).not.toMatch(/[<>]/);
      expect(hit!.titleHtml).toBe("&lt;img src=x onerror=alert(1)&gt; <mark>gradient</mark>");
    });

    it("finds words written after a `<` (code, comparisons), which PostgreSQL's parser would take for a tag", async () => {
      await indexDocuments(db().prisma, "wiki", [
        { key: "angle", url: "/wiki/Angle", title: "Vec<Tensor> basics", body: "When a<b the loop stops; <div>wombat</div> and Map<string, number> keep the platypus." },
      ]);
      for (const word of ["wombat", "platypus", "tensor"]) {
        const hits = (await find(word, ["wiki"])).hits.map((h) => h.key);
        expect(hits, word).toContain("angle");
      }
    });

    it("finds names that stemming breaks, and typos, by trigram similarity", async () => {
      await indexDocuments(db().prisma, "wiki", [
        { key: "lr", url: "/wiki/lr", title: "Choosing a rate", body: "Run learn.lr_find() first." },
        { key: "resnet", url: "/wiki/resnet", title: "Architectures", body: "We fine-tune a resnet34 on the pets data." },
        { key: "mobilenet", url: "/wiki/mobilenet", title: "MobileNet layers", body: "The last layer is conv_pw_13, then pooling." },
        { key: "other", url: "/wiki/other", title: "Other", body: "Data augmentation and learning rates." },
      ]);
      expect((await find("lr_find")).hits[0]?.key).toBe("lr");
      expect((await find("resnet34")).hits[0]?.key).toBe("resnet");
      // A prefix of a name stemming keeps whole: full-text search alone would not find resnet34 from it.
      expect((await find("resnet")).hits.map((h) => h.key)).toEqual(["resnet"]);
      expect((await find("conv_pw_13")).hits[0]?.key).toBe("mobilenet");
      const typo = await find("resnt");
      expect(typo.hits.map((h) => h.key)).toEqual(["resnet"]);
      expect(typo.hits[0]!.snippetHtml).toContain("a <mark>resnet34</mark> on");
      expect((await find("conv_pw_13")).hits[0]!.snippetHtml).toContain("<mark>conv_pw_13</mark>");
    });

    it("filters by kind, pages, removes documents, and explains bad input", async () => {
      await indexDocuments(
        db().prisma,
        "post",
        Array.from({ length: 5 }, (_, i) => ({ key: `p${i}`, url: `/forum/p/${i}`, title: `Post ${i}`, body: "about tensors" })),
      );
      await indexDocuments(db().prisma, "wiki", [{ key: "w", url: "/wiki/T", title: "Tensors", body: "about tensors" }]);
      expect((await find("tensors", ["post"])).total).toBe(5);
      const page2 = await search(db().prisma, { q: "tensors", limit: 4, offset: 4 });
      expect(page2.total).toBe(6);
      expect(page2.hits).toHaveLength(2);
      expect(await removeDocuments(db().prisma, "post", ["p0", "p1"])).toBe(2);
      expect((await find("tensors")).total).toBe(4);
      await expect(search(db().prisma, { q: "   " })).rejects.toThrow("Type something to search for.");
      await expect(indexDocuments(db().prisma, "wiki", [{ key: "x", url: "http://evil", title: "", body: "" }])).rejects.toThrow(
        "must be a site path",
      );
    });
  });

  describe("the course in the index", () => {
    it("finds an exact transcript phrase at its second, with a link into the video", async () => {
      await indexCourse(db().prisma, contentDir);
      const result = await find('"small steps downhill on the loss surface"');
      const top = result.hits[0]!;
      expect(top).toMatchObject({ kind: "transcript", lessonSlug: "lesson-1", seconds: 540, url: "/lessons/lesson-1?t=540" });
      expect(top.snippetHtml).toContain("<mark>small</mark> <mark>steps</mark> <mark>downhill</mark>");
      // Lesson pages are documents too (title, synopsis, chapters and text).
      const lesson = (await find("cats and dogs", ["lesson"])).hits[0];
      expect(lesson).toMatchObject({ kind: "lesson", key: "lesson-1", url: "/lessons/lesson-1", title: "Recognizing cats and dogs" });
      expect((await find("lr_find", ["transcript"])).hits[0]?.url).toBe("/lessons/lesson-1?t=900");
    });

    it("reindexes only when the content changed, and idempotently", async () => {
      const first = await indexCourse(db().prisma, contentDir);
      expect(first).toMatchObject({ reindexed: true, transcriptLines: CUES.length });
      const count = await db().prisma.searchDocument.count();
      const stamp = await db().prisma.searchIndexState.findUniqueOrThrow({ where: { source: "course" } });
      expect(await indexCourse(db().prisma, contentDir)).toMatchObject({ reindexed: false });
      expect(await db().prisma.searchDocument.count()).toBe(count);
      expect((await db().prisma.searchIndexState.findUniqueOrThrow({ where: { source: "course" } })).indexedAt).toEqual(stamp.indexedAt);

      // Another feature's documents survive a course reindex; a removed transcript line leaves the index.
      await indexDocuments(db().prisma, "wiki", [{ key: "w", url: "/wiki/W", title: "Wiki", body: "gradient" }]);
      const file = path.join(contentDir, "lessons", "lesson-1.transcript.json");
      const saved = fs.readFileSync(file, "utf8");
      try {
        fs.writeFileSync(file, JSON.stringify({ version: 1, language: "en", cues: CUES.slice(0, 2) }));
        expect(await indexCourse(db().prisma, contentDir)).toMatchObject({ reindexed: true, transcriptLines: 2 });
        expect(await db().prisma.searchDocument.count()).toBe(count - 2 + 1);
        expect((await find("downhill")).total).toBe(0);
      } finally {
        fs.writeFileSync(file, saved);
      }
    });

    it("search.query indexes the course on first use and is open to anonymous visitors", async () => {
      const caller = createCaller({ db: db(), user: null, ip: "127.0.0.1" });
      const result = await caller.search.query({ q: "whole game" });
      expect(result.hits[0]).toMatchObject({ kind: "transcript", url: "/lessons/lesson-1?t=83", lessonTitle: "Recognizing cats and dogs" });
      expect(await ensureCourseIndexed(db().prisma, contentDir)).toBeNull();
      await expect(caller.search.query({ q: "x".repeat(201) })).rejects.toThrow("at most 200 characters");
    });
  });
});
