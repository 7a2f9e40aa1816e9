import type { Database, PrismaClient, Role } from "@course/db";
import { describe, expect, it } from "vitest";
import { search } from "~/server/search";
import { DomainError } from "~/server/errors";
import {
  deletePage,
  movePage,
  protectPage,
  restorePage,
  revertPage,
  savePage,
  setWatch,
  undoEdit,
  type SavePageResult,
  type WikiActor,
} from "~/server/wiki/pages";
import { allPages, changes, exactTitleMatch, pageDiff, pageHistory, pageInfo, rawText, suggestTitles, viewPage, whatLinksHere } from "~/server/wiki/read";
import { wikiViewTag } from "~/server/page-cache";
import { eachBackend } from "./support/backends";

const lines = (...xs: string[]) => xs.map((x) => `${x}\n`).join("");

async function actor(prisma: PrismaClient, name: string, role: Role = "student"): Promise<WikiActor> {
  const u = await prisma.user.create({ data: { email: `${name}@example.com`, name, role } });
  return { id: u.id, name, role };
}
const saved = (r: SavePageResult) => {
  if (r.status !== "saved") throw new Error(`expected saved, got ${JSON.stringify(r)}`);
  return r;
};
const refusal = (p: Promise<unknown>) =>
  p.then(
    () => "resolved",
    (e: unknown) => (e instanceof DomainError ? `${e.code}: ${e.message}` : String(e)),
  );
const anon = { id: null, role: null };

eachBackend((get: () => Database, backend: string) => {
  describe("wiki pages", () => {
    it("creates a page by any spelling of its title, renders red links, and records links and categories", async () => {
      const { prisma } = get();
      const ann = await actor(prisma, "ann");
      const r = saved(
        await savePage(prisma, {
          title: "training_tips",
          body: "## Learning rate\n\nUse [[LR finder|the finder]] and [[Data loaders]].\n\n[[Category:Tips]]\n",
          summary: "start",
          baseRevision: 0,
          author: ann,
        }),
      );
      expect(r).toMatchObject({ title: "Training tips", key: "Training_tips", number: 1, created: true, merged: false });
      saved(await savePage(prisma, { title: "Data loaders", body: "About [[training tips]].", baseRevision: 0, author: ann }));

      const view = await viewPage(prisma, "Training Tips".replace("T", "t").replace("Tips", "tips"), anon);
      expect(view.exists).toBe(true);
      expect(view.categories).toEqual(["Tips"]);
      const html = view.rendered!.html;
      expect(html).toContain('<h2 id="h-learning-rate">Learning rate</h2>');
      expect(view.rendered!.toc).toEqual([{ depth: 2, text: "Learning rate", id: "h-learning-rate" }]);
      expect(html).toContain('<a href="/wiki/LR_finder?action=edit" class="wiki-link wiki-link-missing"');
      expect(html).toContain('<a href="/wiki/Data_loaders" class="wiki-link">Data loaders</a>');
      expect(view.canEdit).toBe(false);

      expect((await whatLinksHere(prisma, "LR finder", anon)).pages.map((p) => p.key)).toEqual(["Training_tips"]);
      expect((await whatLinksHere(prisma, "Training tips", anon)).pages.map((p) => p.key)).toEqual(["Data_loaders"]);
      const category = await viewPage(prisma, "Category:Tips", anon);
      expect(category.exists).toBe(false);
      expect(category.members.map((m) => m.key)).toEqual(["Training_tips"]);
      expect((await allPages(prisma)).categories).toEqual([{ key: "Tips", title: "Tips", count: 1 }]);

      // Links follow the current text: drop one, and What links here forgets it.
      saved(await savePage(prisma, { title: "Training tips", body: "Only [[Data loaders]] now.", baseRevision: 1, author: ann }));
      expect((await whatLinksHere(prisma, "LR finder", anon)).pages).toEqual([]);
      expect((await viewPage(prisma, "Training tips", anon)).categories).toEqual([]);
      expect(await rawText(prisma, "Training tips", anon)).toBe("Only [[Data loaders]] now.");
      expect(await rawText(prisma, "Training tips", anon, 1)).toContain("## Learning rate");
    });

    it("serves the HTML stored at save, renders again when a linked page appears or goes, and shows categories only at the foot", async () => {
      const { prisma } = get();
      const ann = await actor(prisma, "stored-ann", "admin");
      saved(await savePage(prisma, { title: "Stored page", body: "See [[Later page]] and [[:Category:Lists]].\n\n[[Category:Lists]]\n", baseRevision: 0, author: ann }));
      const row = await prisma.wikiPage.findUniqueOrThrow({ where: { key: "Stored_page" } });
      expect(row.htmlRevision).toBe(1);
      expect(row.html).toContain('<a href="/wiki/Later_page?action=edit" class="wiki-link wiki-link-missing"');
      // The category joins the page without showing where it was written; the colon form is an ordinary link.
      expect(row.html).toBe(
        '<p>See <a href="/wiki/Later_page?action=edit" class="wiki-link wiki-link-missing" title="Later page (page does not exist)">Later page</a> and <a href="/wiki/Category:Lists" class="wiki-link">Category:Lists</a>.</p>',
      );
      expect((await viewPage(prisma, "Stored page", anon)).categories).toEqual(["Lists"]);

      // A view serves what is stored: it is not rendered again.
      await prisma.wikiPage.update({ where: { key: "Stored_page" }, data: { html: `${row.html}<p>stored</p>` } });
      expect((await viewPage(prisma, "Stored page", anon)).rendered!.html).toContain("<p>stored</p>");

      // The linked page appears: the stored HTML is no longer right, so the view renders (and stores) it again.
      saved(await savePage(prisma, { title: "Later page", body: "Here now.", baseRevision: 0, author: ann }));
      const after = (await viewPage(prisma, "Stored page", anon)).rendered!.html;
      expect(after).not.toContain("<p>stored</p>");
      expect(after).toContain('<a href="/wiki/Later_page" class="wiki-link">Later page</a>');
      expect((await prisma.wikiPage.findUniqueOrThrow({ where: { key: "Stored_page" } })).htmlLinks).toEqual(["Later_page"]);
      await deletePage(prisma, { title: "Later page", reason: "", actor: ann });
      expect((await viewPage(prisma, "Stored page", anon)).rendered!.html).toContain("wiki-link-missing");
      // An old revision is rendered as it is, whatever is stored.
      saved(await savePage(prisma, { title: "Stored page", body: "Second text.", baseRevision: 1, author: ann }));
      expect((await viewPage(prisma, "Stored page", anon, { revision: 1 })).rendered!.html).toContain("Later page");
      expect((await viewPage(prisma, "Stored page", anon)).rendered!.html).toBe("<p>Second text.</p>");
    });

    it("drops the cached views each write changes: the page, its categories and files, and the pages linking to a page that appears or goes", async () => {
      const { prisma } = get();
      const ann = await actor(prisma, "cache-ann", "admin");
      const hook = Symbol.for("course.pageCache");
      const dropped: string[][] = [];
      const g = globalThis as { [hook]?: { invalidate(tags: readonly string[]): void } };
      const before = g[hook];
      g[hook] = { invalidate: (tags) => void dropped.push([...tags]) };
      try {
        const tagsOf = (...keys: string[]) => keys.map(wikiViewTag).sort();
        const last = () => [...(dropped.pop() ?? [])].sort();
        saved(await savePage(prisma, { title: "Linker", body: "To [[Target page]].", baseRevision: 0, author: ann }));
        expect(last()).toEqual(tagsOf("Linker"));
        saved(await savePage(prisma, { title: "Target page", body: "[[Category:Cached]] ![x](/media/" + "a".repeat(64) + "/X.png)", baseRevision: 0, author: ann }));
        expect(last()).toEqual(tagsOf("Target_page", "Linker", "Category:Cached", "File:X.png"));
        saved(await savePage(prisma, { title: "Target page", body: "[[Category:Cached]] changed", baseRevision: 1, author: ann }));
        expect(last()).toEqual(tagsOf("Target_page", "File:X.png"));
        await protectPage(prisma, { title: "Target page", level: "grader", reason: "", actor: ann });
        expect(last()).toEqual(tagsOf("Target_page"));
        await deletePage(prisma, { title: "Target page", reason: "", actor: ann });
        expect(last()).toEqual(tagsOf("Target_page", "Linker", "Category:Cached"));
        await restorePage(prisma, { title: "Target page", reason: "", actor: ann });
        expect(last()).toEqual(tagsOf("Target_page", "Linker", "Category:Cached"));
        await movePage(prisma, { from: "Target page", to: "Moved target", reason: "", actor: ann });
        expect(last()).toEqual(tagsOf("Target_page", "Moved_target", "Linker", "Category:Cached"));
        // A conflict writes nothing and drops nothing.
        const n = dropped.length;
        expect((await savePage(prisma, { title: "Linker", body: "Other.", baseRevision: 0, author: ann })).status).toBe("conflict");
        expect(dropped.length).toBe(n);
      } finally {
        g[hook] = before;
      }
    });

    it("refuses anonymous edits, invalid titles, special pages and empty new pages", async () => {
      const { prisma } = get();
      const ann = await actor(prisma, "ann");
      expect(await refusal(savePage(prisma, { title: "X", body: "x", baseRevision: 0, author: { id: null, name: "someone", role: null } }))).toBe(
        "FORBIDDEN: Sign in to edit the wiki.",
      );
      expect(await refusal(savePage(prisma, { title: "a[b]", body: "x", baseRevision: 0, author: ann }))).toMatch(/^BAD_REQUEST: A page title cannot contain/);
      expect(await refusal(savePage(prisma, { title: "Special:RecentChanges", body: "x", baseRevision: 0, author: ann }))).toMatch(/^BAD_REQUEST: Special pages/);
      expect(await refusal(savePage(prisma, { title: "Empty", body: "  \n", baseRevision: 0, author: ann }))).toBe("BAD_REQUEST: A new page needs some text.");
      expect(await prisma.wikiPage.count()).toBe(0);
      expect(await refusal(savePage(prisma, { title: "Y", body: "y", baseRevision: 3, author: ann }))).toMatch(/^BAD_REQUEST: Revision 3 of this text does not exist/);
      expect(await prisma.wikiPage.count()).toBe(0);
    });

    it("merges a stale save, returns a conflict with the user's text for an overlapping one, and lists the history", async () => {
      const { prisma } = get();
      const ann = await actor(prisma, "ann");
      const bob = await actor(prisma, "bob");
      const start = lines("# Page", "", "alpha", "", "beta", "", "gamma");
      saved(await savePage(prisma, { title: "Page", body: start, baseRevision: 0, author: ann }));
      saved(await savePage(prisma, { title: "Page", body: start.replace("alpha", "ALPHA"), baseRevision: 1, author: ann, summary: "caps" }));
      const merged = saved(await savePage(prisma, { title: "Page", body: start.replace("gamma", "GAMMA"), baseRevision: 1, author: bob, minor: true }));
      expect(merged.merged).toBe(true);
      expect(await rawText(prisma, "Page", anon)).toBe(lines("# Page", "", "ALPHA", "", "beta", "", "GAMMA"));

      const mine = start.replace("alpha", "alpha by bob");
      const conflict = await savePage(prisma, { title: "Page", body: mine, baseRevision: 1, author: bob });
      expect(conflict.status).toBe("conflict");
      if (conflict.status !== "conflict") return;
      expect(conflict.mine).toBe(mine);
      expect(conflict.theirs).toContain("ALPHA");
      expect(conflict.currentNumber).toBe(3);

      const history = await pageHistory(prisma, "Page", anon);
      expect(history.revisions.map((r) => [r.number, r.authorName, r.summary, r.minor, r.merged, r.change])).toEqual([
        [3, "bob", "", true, true, 0],
        [2, "ann", "caps", false, false, 0],
        [1, "ann", "", false, false, start.length],
      ]);
      const diff = await pageDiff(prisma, "Page", 1, 3, anon);
      expect(diff.diff.rows.filter((row) => row.kind === "changed").map((row) => [row.oldNumber, row.newNumber])).toEqual([[3, 3], [7, 7]]);

      const recent = await changes(prisma, anon);
      expect(recent.map((c) => [c.key, c.number])).toEqual([["Page", 3], ["Page", 2], ["Page", 1]]);
      expect((await changes(prisma, anon, { hideMinor: true })).map((c) => c.number)).toEqual([2, 1]);
      expect((await changes(prisma, anon, { authorId: bob.id! })).map((c) => c.number)).toEqual([3]);
      expect((await changes(prisma, anon, { byName: "ann" })).map((c) => c.number)).toEqual([2, 1]);
      const info = await pageInfo(prisma, "Page", anon);
      expect(info).toMatchObject({ revisions: 3, editors: 2, watchers: 2, created: { by: "ann" }, lastEdit: { by: "bob" } });
    });

    it(`N concurrent editors of one page lose no update (${backend})`, async () => {
      const { prisma } = get();
      const editors = 6;
      const people = await Promise.all(Array.from({ length: editors }, (_, i) => actor(prisma, `editor${i}`)));
      const start = Array.from({ length: editors }, (_, i) => `line ${i}: original\n\n`).join("");
      saved(await savePage(prisma, { title: "Busy page", body: start, baseRevision: 0, author: people[0]! }));
      const edit = async (i: number) => {
        let base = { number: 1, body: start };
        for (let attempt = 0; attempt < 50; attempt++) {
          const mine = `${base.body.replace(`line ${i}: original`, `line ${i}: edited by ${i}`)}appended by ${i}\n`;
          const result = await savePage(prisma, { title: "busy_page", body: mine, baseRevision: base.number, author: people[i]! });
          if (result.status === "saved") return;
          const current = await viewPage(prisma, "Busy page", anon);
          base = { number: current.number, body: current.body };
        }
        throw new Error(`editor ${i} gave up`);
      };
      await Promise.all(Array.from({ length: editors }, (_, i) => edit(i)));
      const final = await rawText(prisma, "Busy page", anon);
      for (let i = 0; i < editors; i++) {
        expect(final).toContain(`line ${i}: edited by ${i}\n`);
        expect(final.split("\n").filter((l) => l === `appended by ${i}`)).toHaveLength(1);
      }
      const history = await pageHistory(prisma, "Busy page", anon);
      expect(history.revisions.map((r) => r.number)).toEqual(Array.from({ length: editors + 1 }, (_, k) => editors + 1 - k));
    });

    it("concurrent first saves of one title create one page", async () => {
      const { prisma } = get();
      const ann = await actor(prisma, "ann");
      const bob = await actor(prisma, "bob");
      const results = await Promise.all([
        savePage(prisma, { title: "New page", body: "from ann\n", baseRevision: 0, author: ann }),
        savePage(prisma, { title: "new_page", body: "from bob\n", baseRevision: 0, author: bob }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual(["conflict", "saved"]);
      expect(await prisma.wikiPage.count()).toBe(1);
      expect(await prisma.textDocument.count({ where: { kind: "wiki-page" } })).toBe(1);
    });

    it("follows redirects, moves pages leaving a redirect, and keeps the history with the page", async () => {
      const { prisma } = get();
      const ann = await actor(prisma, "ann");
      saved(await savePage(prisma, { title: "Old name", body: "The text.", baseRevision: 0, author: ann }));
      await movePage(prisma, { from: "Old name", to: "new name", reason: "better", actor: ann });
      const moved = await viewPage(prisma, "New name", anon);
      expect(moved.body).toBe("The text.");
      const redirect = await viewPage(prisma, "Old name", anon);
      expect(redirect.redirectKey).toBe("New_name");
      expect(redirect.body).toBe("#REDIRECT [[New name]]\n");
      expect((await whatLinksHere(prisma, "New name", anon)).pages).toEqual([{ key: "Old_name", title: "Old name", redirectKey: "New_name", isRedirect: true }]);
      // Moving back over the redirect the move left is allowed; over a real page it is not.
      await movePage(prisma, { from: "New name", to: "Old name", reason: "undo", actor: ann });
      expect((await viewPage(prisma, "Old name", anon)).body).toBe("The text.");
      saved(await savePage(prisma, { title: "Taken", body: "x", baseRevision: 0, author: ann }));
      expect(await refusal(movePage(prisma, { from: "Old name", to: "Taken", reason: "", actor: ann }))).toBe('CONFLICT: A page "Taken" already exists.');
      const log = await prisma.wikiLogEntry.findMany({ orderBy: { createdAt: "asc" }, select: { action: true, title: true, detail: true, actorName: true, reason: true } });
      expect(log).toEqual([
        { action: "move", title: "Old name", detail: "New name", actorName: "ann", reason: "better" },
        { action: "move", title: "New name", detail: "Old name", actorName: "ann", reason: "undo" },
      ]);
    });

    it("protection limits editing to graders or admins; only admins delete and restore, and deleted pages hide", async () => {
      const { prisma } = get();
      const ann = await actor(prisma, "ann");
      const gina = await actor(prisma, "gina", "grader");
      const ada = await actor(prisma, "ada", "admin");
      saved(await savePage(prisma, { title: "Rules", body: "Be kind.", baseRevision: 0, author: ann }));
      expect(await refusal(protectPage(prisma, { title: "Rules", level: "grader", reason: "vandalism", actor: ann }))).toBe(
        "FORBIDDEN: Only graders and admins may protect pages.",
      );
      await protectPage(prisma, { title: "Rules", level: "grader", reason: "vandalism", actor: gina });
      expect(await refusal(savePage(prisma, { title: "Rules", body: "Be rude.", baseRevision: 1, author: ann }))).toBe(
        'FORBIDDEN: "Rules" is protected: only graders and admins may edit it. Reason: vandalism',
      );
      saved(await savePage(prisma, { title: "Rules", body: "Be kind, always.", baseRevision: 1, author: gina }));
      await protectPage(prisma, { title: "Rules", level: "admin", reason: "", actor: ada });
      expect(await refusal(savePage(prisma, { title: "Rules", body: "x", baseRevision: 2, author: gina }))).toMatch(/only admins may edit/);
      expect(await refusal(protectPage(prisma, { title: "Rules", level: "none", reason: "", actor: gina }))).toMatch(/Only admins/);

      expect(await refusal(deletePage(prisma, { title: "Rules", reason: "spam", actor: gina }))).toBe("FORBIDDEN: Only admins may delete pages.");
      await deletePage(prisma, { title: "Rules", reason: "spam", actor: ada });
      expect((await viewPage(prisma, "Rules", anon)).exists).toBe(false);
      expect((await viewPage(prisma, "Rules", { id: ada.id, role: "admin" })).deleted?.reason).toBe("spam");
      expect(await refusal(savePage(prisma, { title: "Rules", body: "again", baseRevision: 2, author: ann }))).toMatch(/was deleted/);
      expect(await refusal(rawText(prisma, "Rules", anon))).toBe('NOT_FOUND: There is no page "Rules".');
      expect((await search(prisma, { q: "kind", kinds: ["wiki"] })).total).toBe(0);
      expect(await exactTitleMatch(prisma, "rules")).toBeNull();

      await restorePage(prisma, { title: "Rules", reason: "", actor: ada });
      expect(await rawText(prisma, "Rules", anon)).toBe("Be kind, always.");
      expect((await search(prisma, { q: "kind", kinds: ["wiki"] })).hits.map((h) => h.url)).toEqual(["/wiki/Rules"]);
      expect(await exactTitleMatch(prisma, "rules")).toBe("/wiki/Rules");
      expect((await prisma.wikiLogEntry.findMany({ orderBy: { createdAt: "asc" } })).map((e) => e.action)).toEqual(["protect", "protect", "delete", "restore"]);
    });

    it("suggests live titles by prefix for [[ completion: any case or spacing, redirects marked, literal % and _", async () => {
      const { prisma } = get();
      const ann = await actor(prisma, "ann", "admin");
      for (const title of ["Learning rate finder", "Learning rate", "Learning", "learning_100%", "Loss functions", "Leaked page"]) {
        saved(await savePage(prisma, { title, body: `About ${title}.`, baseRevision: 0, author: ann }));
      }
      saved(await savePage(prisma, { title: "LR finder", body: "#REDIRECT [[Learning rate finder]]\n", baseRevision: 0, author: ann }));
      saved(await savePage(prisma, { title: "Learning rates", body: "#REDIRECT [[Learning rate]]\n", baseRevision: 0, author: ann }));
      await deletePage(prisma, { title: "Leaked page", reason: "", actor: ann });

      const titles = async (prefix: string, limit?: number) => (await suggestTitles(prisma, prefix, limit)).map((s) => s.title);
      // ordinary pages before redirects, then shorter first, then by key
      expect(await titles("learning")).toEqual(["Learning", "Learning 100%", "Learning rate", "Learning rate finder", "Learning rates"]);
      expect(await titles("  LEARNING_rate")).toEqual(["Learning rate", "Learning rate finder", "Learning rates"]);
      // a space typed after a word asks for a longer title
      expect(await titles("learning rate ")).toEqual(["Learning rate finder"]);
      expect(await titles("learning r", 2)).toEqual(["Learning rate", "Learning rate finder"]);
      expect(await suggestTitles(prisma, "lr")).toEqual([{ title: "LR finder", key: "LR_finder", redirectTo: "Learning rate finder" }]);
      // what was typed is matched literally, LIKE wildcards included; deleted pages are not suggested
      expect(await titles("learning_1")).toEqual(["Learning 100%"]);
      expect(await titles("Learning%")).toEqual([]);
      expect(await titles("l_ss")).toEqual([]);
      expect(await titles("Lea")).not.toContain("Leaked page");
      expect(await titles("Leaked")).toEqual([]);
      expect(await titles("   ")).toEqual([]);
    });

    it("reverts to a revision, undoes one edit keeping later ones, and refuses an undo that conflicts", async () => {
      const { prisma } = get();
      const ann = await actor(prisma, "ann");
      const v1 = lines("one", "", "two", "", "three");
      saved(await savePage(prisma, { title: "Undo", body: v1, baseRevision: 0, author: ann }));
      saved(await savePage(prisma, { title: "Undo", body: v1.replace("one", "ONE"), baseRevision: 1, author: ann }));
      saved(await savePage(prisma, { title: "Undo", body: v1.replace("one", "ONE").replace("three", "THREE"), baseRevision: 2, author: ann }));
      const undone = saved(await undoEdit(prisma, { title: "Undo", number: 2, author: ann }));
      expect(undone.number).toBe(4);
      expect(await rawText(prisma, "Undo", anon)).toBe(v1.replace("three", "THREE"));
      saved(await savePage(prisma, { title: "Undo", body: v1.replace("three", "3!"), baseRevision: 4, author: ann }));
      expect((await undoEdit(prisma, { title: "Undo", number: 3, author: ann })).status).toBe("conflict");
      const reverted = saved(await revertPage(prisma, { title: "Undo", number: 1, author: ann }));
      expect(await rawText(prisma, "Undo", anon)).toBe(v1);
      expect((await pageHistory(prisma, "Undo", anon)).revisions[0]).toMatchObject({ number: reverted.number, summary: "Reverted to revision 1" });
    });

    it("tells watchers (not the editor) of changes, and joins search with the title weighted", async () => {
      const { prisma } = get();
      const ann = await actor(prisma, "ann");
      const bob = await actor(prisma, "bob");
      const cy = await actor(prisma, "cy");
      saved(await savePage(prisma, { title: "Convolutions", body: "Kernels slide over images.", baseRevision: 0, author: ann }));
      saved(await savePage(prisma, { title: "Pooling", body: "Pooling follows convolutions: `a && b` stays text near gradients.", baseRevision: 0, author: ann }));
      await setWatch(prisma, { title: "Convolutions", userId: bob.id!, watch: true });
      saved(await savePage(prisma, { title: "Convolutions", body: "Kernels slide over images, stride 2.", summary: "stride", baseRevision: 1, author: cy }));
      const notes = await prisma.notification.findMany({ orderBy: { userId: "asc" }, select: { userId: true, kind: true, title: true, body: true, link: true } });
      expect(notes.map((n) => n.userId).sort()).toEqual([ann.id, bob.id].sort());
      expect(notes[0]).toMatchObject({ kind: "wiki-page-changed", title: 'cy edited "Convolutions"', body: "stride", link: "/wiki/Convolutions?action=history" });
      await setWatch(prisma, { title: "Convolutions", userId: bob.id!, watch: false });
      saved(await savePage(prisma, { title: "Convolutions", body: "Kernels.", baseRevision: 2, author: cy }));
      expect(await prisma.notification.count({ where: { userId: bob.id! } })).toBe(1);

      const found = await search(prisma, { q: "convolutions", kinds: ["wiki"] });
      expect(found.hits.map((h) => h.title)).toEqual(["Convolutions", "Pooling"]);
      const pooling = (await search(prisma, { q: "gradients", kinds: ["wiki"] })).hits[0]!;
      expect(pooling.snippetHtml).toContain("a &amp;&amp; b stays text near <mark>gradients</mark>");
      // An importer's edit: an author without an account here, at the edit's own time.
      const at = new Date("2019-03-04T05:06:07Z");
      saved(await savePage(prisma, { title: "Imported", body: "Old text.", baseRevision: 0, author: { id: null, name: "Jeremy", role: "admin" }, at }));
      const [row] = await changes(prisma, anon, { byName: "Jeremy" });
      expect(row).toMatchObject({ key: "Imported", author: "Jeremy", createdAt: at, authorId: null });
    });
  });
});

eachBackend((get: () => Database) => {
  describe("wiki router", () => {
    it("paces new students' edits (RateLimitedError as TOO_MANY_REQUESTS); graders are not paced", async () => {
      const { prisma } = get();
      const { createCaller } = await import("~/server/trpc/root");
      const student = await prisma.user.create({ data: { email: "new@example.com", name: "newbie" }, select: { id: true, email: true, name: true, role: true } });
      const caller = createCaller({ db: get(), user: student, ip: "127.0.0.1" });
      const { NEW_ACCOUNT_EDITS } = await import("~/server/wiki/pace");
      let base = 0;
      for (let i = 0; i < NEW_ACCOUNT_EDITS.maxAttempts; i++) {
        const r = await caller.wiki.save({ title: "Paced", body: `edit ${i}\n`, baseRevision: base });
        if (r.status === "saved") base = r.number;
      }
      const refused = await caller.wiki.save({ title: "Paced", body: "one more\n", baseRevision: base }).then(
        () => "saved",
        (e: { code?: string; message: string }) => `${e.code}: ${e.message}`,
      );
      expect(refused).toMatch(/^TOO_MANY_REQUESTS: New accounts may save 10 wiki edits in 10 minutes\. Try again in \d+ minutes?\.$/);
      const grader = await prisma.user.create({ data: { email: "g@example.com", name: "g", role: "grader" }, select: { id: true, email: true, name: true, role: true } });
      const graderCaller = createCaller({ db: get(), user: grader, ip: "127.0.0.1" });
      for (let i = 0; i < NEW_ACCOUNT_EDITS.maxAttempts + 1; i++) {
        const r = await graderCaller.wiki.save({ title: "Paced", body: `grader ${i}\n`, baseRevision: base });
        expect(r.status).toBe("saved");
        if (r.status === "saved") base = r.number;
      }
    });
  });
});
