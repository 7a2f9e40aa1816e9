import { loadCourse, loadForumCategories } from "@course/content";
import { findRepoRoot, type Database, type PrismaClient, type Role } from "@course/db";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DomainError } from "~/server/errors";
import { syncForumCategories } from "~/server/forum/categories";
import type { ForumActor } from "~/server/forum/permissions";
import { deletePost, replyToTopic } from "~/server/forum/posts";
import { syncTopicSearch } from "~/server/forum/search";
import { markSolved, unmarkSolved } from "~/server/forum/solved";
import { createTopic, updateTopic } from "~/server/forum/topics";
import { search, searchInput, type SearchInput } from "~/server/search";
import { searchCourse } from "~/server/search/course-search";
import { createCaller } from "~/server/trpc/root";
import { movePage, savePage } from "~/server/wiki/pages";
import { eachBackend } from "./support/backends";

// Forum posts in the one course search (issue 12, item 7): the facet filters (category, author, solved, days written)
// on real topics and posts, and the documents following the topic when it is solved, unsolved, moved or retitled.

const root = findRepoRoot();
const course = await loadCourse(path.join(root, "content"));
const categories = await loadForumCategories(path.join(root, "content"), course.lessons);

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => "resolved",
    (e: unknown) => (e instanceof DomainError ? `${e.code}: ${e.message}` : String(e)),
  );

eachBackend((get: () => Database) => {
  async function member(prisma: PrismaClient, name: string, role: Role = "student"): Promise<ForumActor> {
    const u = await prisma.user.create({ data: { email: `${name}@example.com`, name: `${name[0]!.toUpperCase()}${name.slice(1)}`, role, username: name } });
    return { id: u.id, name, role };
  }

  /** Two questions in homework-help (solvable), a chat in general (not), a lesson-1 topic; all mention "gradient". */
  async function setUp() {
    const { prisma } = get();
    await syncForumCategories(prisma, categories);
    const ann = await member(prisma, "ann");
    const bob = await member(prisma, "bob");
    const grace = await member(prisma, "grace", "grader");
    const exploding = await createTopic(prisma, { categorySlug: "homework-help", title: "Exploding loss", body: "My gradient explodes after epoch 2.", author: ann });
    const answer = await replyToTopic(prisma, { topicId: exploding.id, body: "Clip the gradient norm.", author: bob });
    const vanishing = await createTopic(prisma, { categorySlug: "homework-help", title: "Vanishing updates", body: "The gradient is tiny in early layers.", author: bob });
    const chat = await createTopic(prisma, { categorySlug: "general", title: "Favourite optimiser", body: "Plain gradient descent, obviously.", author: ann });
    const lesson = await createTopic(prisma, { categorySlug: "lesson-1", title: "Lesson 1 question", body: "Where does the gradient come from?", author: grace });
    return { prisma, ann, bob, grace, exploding, answer, vanishing, chat, lesson };
  }

  const titles = async (prisma: PrismaClient, input: Omit<SearchInput, "q"> & { q?: string }) =>
    (await search(prisma, { q: "gradient", kinds: ["post"], ...input })).hits.map((h) => `${h.title}#${h.url.split("#p")[1]}`).sort();

  describe("forum posts in search", () => {
    it("carry their category, author, day written and solved state, and filter on each", async () => {
      const { prisma, bob, exploding, answer } = await setUp();
      const all = await search(prisma, { q: "gradient", kinds: ["post"] });
      expect(all.total).toBe(5);
      const hit = all.hits.find((h) => h.key === answer.id)!;
      expect(hit).toMatchObject({ kind: "post", category: "homework-help", authorId: bob.id, solved: false, title: "Exploding loss", url: `${exploding.url}?post=2#p2` });
      expect(hit.writtenAt).toBeInstanceOf(Date);
      expect(Math.abs(hit.writtenAt!.getTime() - Date.now())).toBeLessThan(60_000);
      // Posts in a category where answers do not apply are neither solved nor unsolved.
      expect(all.hits.find((h) => h.category === "general")?.solved).toBeNull();

      expect(await titles(prisma, { category: "homework-help" })).toEqual(["Exploding loss#1", "Exploding loss#2", "Vanishing updates#1"]);
      expect(await titles(prisma, { category: "general" })).toEqual(["Favourite optimiser#1"]);
      expect(await titles(prisma, { author: "ann" })).toEqual(["Exploding loss#1", "Favourite optimiser#1"]);
      // Any case, with or without the @.
      expect(await titles(prisma, { author: "@BOB" })).toEqual(["Exploding loss#2", "Vanishing updates#1"]);
      expect(await titles(prisma, { author: "bob", category: "homework-help" })).toEqual(["Exploding loss#2", "Vanishing updates#1"]);

      // Lessons, videos and wiki pages have no author or category: a filter leaves them out even without `kinds`.
      await prisma.$executeRawUnsafe(`INSERT INTO "ForumCategory" ("id", "slug", "name", "updatedAt") VALUES ('empty', 'empty-cat', 'Empty', now())`);
      expect((await search(prisma, { q: "gradient", category: "empty-cat" })).total).toBe(0);
      expect((await search(prisma, { q: "gradient", author: "ann" })).hits.every((h) => h.kind === "post")).toBe(true);
    });

    it("filters solved topics and open questions, and re-indexes a topic when it is solved, unsolved or its answer deleted", async () => {
      const { prisma, ann, grace, exploding, answer } = await setUp();
      expect(await titles(prisma, { solved: "solved" })).toEqual([]);
      expect(await titles(prisma, { solved: "unsolved" })).toEqual(["Exploding loss#1", "Exploding loss#2", "Lesson 1 question#1", "Vanishing updates#1"]);

      await markSolved(prisma, { postId: answer.id, actor: ann });
      expect(await titles(prisma, { solved: "solved" })).toEqual(["Exploding loss#1", "Exploding loss#2"]);
      expect(await titles(prisma, { solved: "unsolved" })).toEqual(["Lesson 1 question#1", "Vanishing updates#1"]);

      await unmarkSolved(prisma, { topicId: exploding.id, actor: grace });
      expect(await titles(prisma, { solved: "solved" })).toEqual([]);

      // Deleting the answer unsolves the topic: its question is open again in search.
      await markSolved(prisma, { postId: answer.id, actor: ann });
      expect(await titles(prisma, { solved: "solved" })).toEqual(["Exploding loss#1", "Exploding loss#2"]);
      await deletePost(prisma, { postId: answer.id, actor: grace });
      expect(await titles(prisma, { solved: "solved" })).toEqual([]);
      expect(await titles(prisma, { solved: "unsolved", category: "homework-help" })).toEqual(["Exploding loss#1", "Vanishing updates#1"]);
    });

    it("follows a topic moved to another category or retitled", async () => {
      const { prisma, grace, vanishing } = await setUp();
      await updateTopic(prisma, { topicId: vanishing.id, categorySlug: "general", title: "Vanishing gradients", actor: grace });
      expect(await titles(prisma, { category: "general" })).toEqual(["Favourite optimiser#1", "Vanishing gradients#1"]);
      expect(await titles(prisma, { category: "homework-help" })).toEqual(["Exploding loss#1", "Exploding loss#2"]);
      // Moved out of a solvable category: no longer an open question.
      expect((await titles(prisma, { solved: "unsolved" })).filter((t) => t.startsWith("Vanishing"))).toEqual([]);
      const [moved] = (await search(prisma, { q: "gradients", category: "general", author: "bob" })).hits;
      expect(moved).toMatchObject({ title: "Vanishing gradients", url: expect.stringContaining("/vanishing-gradients?post=1#p1") });
    });

    it("filters by the day a post was written, both days included (UTC)", async () => {
      const { prisma, exploding, answer, vanishing } = await setUp();
      // Older posts: their dates set in the database, then the topics re-indexed as any topic change does.
      await prisma.forumPost.updateMany({ where: { topicId: exploding.id, number: 1 }, data: { createdAt: new Date("2026-01-10T23:59:00Z") } });
      await prisma.forumPost.update({ where: { id: answer.id }, data: { createdAt: new Date("2026-01-11T00:00:00Z") } });
      await prisma.forumPost.updateMany({ where: { topicId: vanishing.id }, data: { createdAt: new Date("2026-02-01T12:00:00Z") } });
      await prisma.$transaction(async (tx) => {
        await syncTopicSearch(tx, exploding.id);
        await syncTopicSearch(tx, vanishing.id);
      });
      expect(await titles(prisma, { before: "2026-01-10" })).toEqual(["Exploding loss#1"]);
      expect(await titles(prisma, { after: "2026-01-11", before: "2026-01-11" })).toEqual(["Exploding loss#2"]);
      expect(await titles(prisma, { after: "2026-01-11", before: "2026-02-01" })).toEqual(["Exploding loss#2", "Vanishing updates#1"]);
      expect(await titles(prisma, { after: "2026-02-02" })).toEqual(["Favourite optimiser#1", "Lesson 1 question#1"]);
      const [old] = (await search(prisma, { q: "epoch", kinds: ["post"] })).hits;
      expect(old!.writtenAt?.toISOString()).toBe("2026-01-10T23:59:00.000Z");
    });

    it("names the hit's category and author as they are now (a rename needs no reindex)", async () => {
      const { prisma, bob, answer } = await setUp();
      await prisma.user.update({ where: { id: bob.id }, data: { name: "Robert" } });
      const result = await searchCourse(prisma, { q: "clip norm", kinds: ["post"] });
      expect(result.hits.find((h) => h.key === answer.id)).toMatchObject({ categoryName: "Homework help", author: { name: "Robert", username: "bob" } });
    });

    it("gives wiki pages their last editor and edit day, so the author and date filters reach them too", async () => {
      const { prisma, ann, bob } = await setUp();
      const first = await savePage(prisma, { title: "Gradient clipping", body: "Clip the gradient norm to 1.", baseRevision: 0, author: ann });
      expect(first.status).toBe("saved");
      const wiki = async (author: string) => (await search(prisma, { q: "gradient", kinds: ["wiki"], author })).hits.map((h) => h.key);
      expect(await wiki("ann")).toEqual(["Gradient_clipping"]);
      await savePage(prisma, { title: "Gradient clipping", body: "Clip the gradient norm to 1, or lower.", baseRevision: 1, author: bob });
      expect(await wiki("ann")).toEqual([]);
      expect(await wiki("bob")).toEqual(["Gradient_clipping"]);
      // A move re-indexes under the new title, keeping its last editor.
      await movePage(prisma, { from: "Gradient clipping", to: "Clipping gradients", reason: "", actor: ann });
      expect(await wiki("bob")).toEqual(["Clipping_gradients"]);
      const [hit] = (await search(prisma, { q: "gradient", kinds: ["wiki"], after: new Date(Date.now() - 86_400_000).toISOString().slice(0, 10) })).hits;
      expect(hit).toMatchObject({ key: "Clipping_gradients", authorId: bob.id, category: null, solved: null });
    });

    it("the migration's backfill gives posts indexed before it their facets", async () => {
      const { prisma, ann, exploding, answer } = await setUp();
      await markSolved(prisma, { postId: answer.id, actor: ann });
      await prisma.$executeRawUnsafe(`UPDATE "SearchDocument" SET "category" = NULL, "authorId" = NULL, "solved" = NULL, "writtenAt" = NULL`);
      const migration = fs.readFileSync(path.join(root, "prisma/migrations/20261202214608_search_facets/migration.sql"), "utf8");
      await prisma.$executeRawUnsafe(migration.slice(migration.indexOf("-- Backfill")));
      const [hit] = (await search(prisma, { q: "clip", kinds: ["post"], category: "homework-help", solved: "solved", author: "bob" })).hits;
      expect(hit).toMatchObject({ key: answer.id, url: `${exploding.url}?post=2#p2` });
      expect(hit!.writtenAt).toBeInstanceOf(Date);
      expect((await search(prisma, { q: "gradient", kinds: ["post"], category: "general" })).hits[0]).toMatchObject({ solved: null });
    });

    it("refuses bad filters with a message: unknown category or author, malformed or reversed dates, unknown solved", async () => {
      const { prisma } = await setUp();
      expect(await refusal(search(prisma, { q: "gradient", category: "no-such-thing" }))).toBe("BAD_REQUEST: No such category: “no-such-thing”.");
      expect(await refusal(search(prisma, { q: "gradient", author: "nobody" }))).toBe("BAD_REQUEST: No such author: @nobody.");
      const message = (input: Record<string, unknown>) => searchInput.safeParse({ q: "gradient", ...input }).error?.issues[0]?.message;
      expect(message({ category: "Robert'); DROP TABLE" })).toBe("No such category.");
      expect(message({ author: "two words" })).toBe("No such author: an author is named by their @username.");
      expect(message({ after: "1 March" })).toBe("The from date is written YYYY-MM-DD, e.g. 2026-03-01.");
      expect(message({ before: "2026-02-30" })).toBe("The to date is not a real day.");
      expect(message({ after: "2026-03-02", before: "2026-03-01" })).toBe("The from date is after the to date.");
      expect(message({ solved: "maybe" })).toBe("Solved is either “solved” or “unsolved”.");

      // The API says the same, anonymous visitors included.
      const caller = createCaller({ db: get(), user: null, ip: "127.0.0.1" });
      await expect(caller.search.query({ q: "gradient", author: "nobody" })).rejects.toThrow("No such author: @nobody.");
      await expect(caller.search.query({ q: "gradient", before: "2026-13-01" })).rejects.toThrow("The to date is not a real day.");
      const viaApi = await caller.search.query({ q: "gradient", kinds: ["post"], category: "homework-help", solved: "unsolved", author: "bob" });
      expect(viaApi.hits.map((h) => [h.title, h.author?.username, h.categoryName]).sort()).toEqual([
        ["Exploding loss", "bob", "Homework help"],
        ["Vanishing updates", "bob", "Homework help"],
      ]);
    });
  });
});
