import { describe, expect, it } from "vitest";
import { scoreJob, storeSubmission } from "./homework-support";
import { signUpWithPassword, type PublicUser } from "~/server/auth/users";
import { assignRanks, bestOverTime, finalsOf, privateRanking, publicRanking, type ScoredSubmission } from "~/server/homework/ranking";
import { createCaller } from "~/server/trpc/root";
import { eachBackend } from "./support/backends";

const t = (minutes: number) => new Date(Date.UTC(2030, 0, 1, 0, minutes));
let n = 0;
function sub(userId: string, pub: [number, number], priv: [number, number] = pub, opts: { at?: number; final?: boolean } = {}): ScoredSubmission {
  n++;
  const at = opts.at ?? n;
  return {
    submissionId: `s${String(n).padStart(3, "0")}`,
    userId,
    createdAt: t(at),
    public: { logLoss: pub[0], accuracy: pub[1] },
    private: { logLoss: priv[0], accuracy: priv[1] },
    finalChoice: opts.final ?? false,
  };
}

describe("ranking", () => {
  it("breaks log-loss ties as the page says (higher accuracy, then the earlier submission); only a full tie shares a rank", () => {
    const at = (m: number) => t(m);
    const rows = [
      { logLoss: 0.1, accuracy: 0.9, createdAt: at(1) },
      { logLoss: 0.2, accuracy: 0.9, createdAt: at(1) },
      { logLoss: 0.2, accuracy: 0.9, createdAt: at(1) },
      { logLoss: 0.3, accuracy: 0.9, createdAt: at(1) },
    ];
    expect(assignRanks(rows).map((r) => r.rank)).toEqual([1, 2, 2, 4]);
    expect(assignRanks([rows[0]!, { ...rows[0]!, accuracy: 0.8 }, { ...rows[0]!, accuracy: 0.8, createdAt: at(2) }]).map((r) => r.rank)).toEqual([1, 2, 3]);
  });

  it("keeps each student's best public score, ordered and ranked by log loss, then accuracy, then the earlier submission", () => {
    const rows = publicRanking([
      sub("ann", [0.5, 0.8]),
      sub("ann", [0.2, 0.9]),
      sub("bob", [0.3, 0.85], undefined, { at: 50 }),
      sub("cat", [0.3, 0.85], undefined, { at: 40 }),
      sub("dan", [0.3, 0.95]),
      sub("eve", [0.7, 0.6]),
    ]);
    expect(rows.map((r) => [r.rank, r.userId, r.logLoss])).toEqual([
      [1, "ann", 0.2],
      [2, "dan", 0.3], // same log loss: higher accuracy first
      [3, "cat", 0.3], // same log loss and accuracy: the earlier submission first
      [4, "bob", 0.3],
      [5, "eve", 0.7],
    ]);
    expect(rows[0]!.entries).toBe(2);
  });

  it("ranks finals on the best private score among the chosen submissions", () => {
    const a1 = sub("ann", [0.1, 0.9], [0.5, 0.8], { final: true });
    const a2 = sub("ann", [0.3, 0.9], [0.2, 0.9], { final: true });
    const a3 = sub("ann", [0.4, 0.9], [0.01, 0.99]); // better private, but not chosen
    const b1 = sub("bob", [0.2, 0.9], [0.3, 0.9], { final: true });
    expect(finalsOf([a1, a2, a3]).map((s) => s.submissionId)).toEqual([a1.submissionId, a2.submissionId]);
    const rows = privateRanking([a1, a2, a3, b1]);
    expect(rows.map((r) => [r.rank, r.userId, r.submissionId, r.logLoss])).toEqual([
      [1, "ann", a2.submissionId, 0.2],
      [2, "bob", b1.submissionId, 0.3],
    ]);
  });

  it("uses a student's two best public submissions when they chose no finals, as Kaggle does", () => {
    const c1 = sub("cat", [0.1, 0.9], [0.6, 0.7]);
    const c2 = sub("cat", [0.2, 0.9], [0.4, 0.8]);
    const c3 = sub("cat", [0.9, 0.5], [0.05, 0.99]); // third best public: not counted
    expect(finalsOf([c1, c2, c3]).map((s) => s.submissionId)).toEqual([c1.submissionId, c2.submissionId]);
    expect(privateRanking([c1, c2, c3])[0]).toMatchObject({ submissionId: c2.submissionId, logLoss: 0.4 });
  });

  it("draws the best public score over time as steps when it improves, at the submission times the table shows", () => {
    const points = bestOverTime([
      sub("ann", [0.5, 0.8], undefined, { at: 10 }),
      sub("bob", [0.6, 0.8], undefined, { at: 20 }),
      sub("bob", [0.3, 0.8], undefined, { at: 30 }),
      sub("ann", [0.3, 0.8], undefined, { at: 40 }),
      sub("cat", [0.1, 0.8], undefined, { at: 5 }),
    ]);
    expect(points.map((p) => [p.at.getUTCMinutes(), p.logLoss])).toEqual([[5, 0.1]]);
    const later = [sub("ann", [0.5, 0.8], undefined, { at: 10 }), sub("bob", [0.3, 0.8], undefined, { at: 30 })];
    expect(bestOverTime(later).map((p) => [p.at.getUTCMinutes(), p.logLoss, p.userId])).toEqual([
      [10, 0.5, "ann"],
      [30, 0.3, "bob"],
    ]);
    // The leader's row and the chart's last point are the same submission at the same instant.
    const leader = publicRanking(later)[0]!;
    expect(bestOverTime(later).at(-1)).toMatchObject({ submissionId: leader.submissionId, at: leader.createdAt });
  });
});

eachBackend((db) => {
  const prisma = () => db().prisma;
  const caller = (user: PublicUser | null) => createCaller({ db: db(), user, ip: "127.0.0.1" });
  async function scored(user: PublicUser, slug: string, pub: [number, number], priv: [number, number], minutes: number, final = false) {
    const s = await storeSubmission(prisma(), user.id, slug, t(minutes));
    await scoreJob(prisma(), s.jobId, pub, priv, t(minutes + 1));
    if (final) await prisma().submission.update({ where: { id: s.id }, data: { finalChoice: true } });
    return s;
  }

  describe("leaderboard.get", () => {
    it("is public, shows each student's best public score with names per preference, and hides private scores before the deadline", async () => {
      await signUpWithPassword(prisma(), { email: "admin@example.com", password: "a sound passphrase" });
      const ann = await prisma().user.update({ where: { id: (await signUpWithPassword(prisma(), { email: "ann@example.com", password: "a sound passphrase" })).id }, data: { name: "Ann Account" } });
      const bob = await signUpWithPassword(prisma(), { email: "bob@example.com", password: "a sound passphrase" });
      const cat = await signUpWithPassword(prisma(), { email: "cat@example.com", password: "a sound passphrase" });
      await caller(bob).homework.updateProfile({ displayName: null, anonymous: true });
      await caller(cat).homework.updateProfile({ displayName: "Cat the Great", anonymous: false });
      await scored(ann, "open-hw", [0.4, 0.8], [0.1, 0.9], 1);
      await scored(ann, "open-hw", [0.2, 0.9], [0.5, 0.7], 2);
      await scored(bob, "open-hw", [0.2, 0.95], [0.3, 0.9], 3);
      await scored(cat, "open-hw", [0.6, 0.7], [0.6, 0.7], 4);
      await storeSubmission(prisma(), cat.id, "open-hw", t(5)); // still queued: not on the board

      const board = await caller(null).leaderboard.get({ slug: "open-hw" });
      expect(board.revealed).toBe(false);
      expect(board.final).toBeNull();
      // Equal log loss: the higher accuracy ranks first, and the ranks differ (the tie-break the page states).
      expect(board.public.map((r) => [r.rank, r.displayName, r.logLoss, r.accuracy, r.you])).toEqual([
        [1, "Anonymous", 0.2, 0.95, false],
        [2, "Ann Account", 0.2, 0.9, false],
        [3, "Cat the Great", 0.6, 0.7, false],
      ]);
      // A signed-in student's own row is marked, and only theirs.
      expect((await caller(ann).leaderboard.get({ slug: "open-hw" })).public.map((r) => [r.displayName, r.you])).toEqual([
        ["Anonymous", false],
        ["Ann Account", true],
        ["Cat the Great", false],
      ]);
      // The chart's points are at the submission times the table shows (not when the runner finished).
      expect(board.bestOverTime.map((p) => p.at.toISOString())).toEqual([t(1).toISOString(), t(2).toISOString()]);
      expect(board.public[1]!.createdAt.toISOString()).toBe(t(2).toISOString());
      const json = JSON.stringify(board);
      expect(json).not.toContain("@example.com");
      expect(json).not.toContain(bob.id);
      expect(json).not.toContain("0.1,"); // ann's private score
      expect(board.bestOverTime.map((p) => p.logLoss)).toEqual([0.4, 0.2]);
    });

    it("reveals private scores after the deadline with the final ranking from chosen finals", async () => {
      await signUpWithPassword(prisma(), { email: "admin@example.com", password: "a sound passphrase" });
      const ann = await signUpWithPassword(prisma(), { email: "ann@example.com", password: "a sound passphrase" });
      const bob = await signUpWithPassword(prisma(), { email: "bob@example.com", password: "a sound passphrase" });
      await caller(ann).homework.updateProfile({ displayName: "Ann", anonymous: false });
      await caller(bob).homework.updateProfile({ displayName: "Bob", anonymous: false });
      await scored(ann, "closed-hw", [0.1, 0.95], [0.5, 0.8], 1, true); // best public, chosen, poor private
      await scored(ann, "closed-hw", [0.3, 0.9], [0.05, 0.99], 2); // great private but not chosen
      await scored(bob, "closed-hw", [0.2, 0.9], [0.25, 0.9], 3); // no finals chosen: best public ones count

      const board = await caller(null).leaderboard.get({ slug: "closed-hw" });
      expect(board.revealed).toBe(true);
      expect(board.public.map((r) => [r.rank, r.displayName])).toEqual([
        [1, "Ann"],
        [2, "Bob"],
      ]);
      expect(board.final?.map((r) => [r.rank, r.displayName, r.logLoss])).toEqual([
        [1, "Bob", 0.25],
        [2, "Ann", 0.5],
      ]);
    });
  });
});
