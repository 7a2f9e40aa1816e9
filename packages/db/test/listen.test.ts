import { describe, expect, it } from "vitest";
import { testBackends } from "../src/testing";

// Database.listen: what other processes' writes say through NOTIFY (the web app's page cache listens, so that a
// write on one instance drops the pages it changed on every instance). A NOTIFY inside a transaction arrives when it
// commits, and not at all when it rolls back.
describe.each(testBackends())("listen on $name", (backend) => {
  it("hears a NOTIFY when its transaction commits, never one that rolled back, and stops when asked", { timeout: 240_000 }, async () => {
    const { db, dispose } = await backend.create();
    try {
      const heard: Array<string | null> = [];
      const stop = await db.listen("course_test_channel", (payload) => heard.push(payload));
      const arrived = async (n: number) => {
        for (let i = 0; i < 100 && heard.length < n; i++) await new Promise((r) => setTimeout(r, 20));
        return heard;
      };

      await db.prisma.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT pg_notify('course_test_channel', 'in a transaction')`;
        // nothing until the commit
        await new Promise((r) => setTimeout(r, 100));
        expect(heard).toEqual([]);
      });
      expect(await arrived(1)).toEqual(["in a transaction"]);

      await expect(
        db.prisma.$transaction(async (tx) => {
          await tx.$executeRaw`SELECT pg_notify('course_test_channel', 'rolled back')`;
          throw new Error("roll back");
        }),
      ).rejects.toThrow("roll back");
      await db.prisma.$executeRaw`SELECT pg_notify('other_channel', 'not ours')`;
      await db.prisma.$executeRaw`SELECT pg_notify('course_test_channel', 'a,b')`;
      expect(await arrived(2)).toEqual(["in a transaction", "a,b"]);

      await stop();
      await db.prisma.$executeRaw`SELECT pg_notify('course_test_channel', 'after stop')`;
      await new Promise((r) => setTimeout(r, 200));
      expect(heard).toEqual(["in a transaction", "a,b"]);
    } finally {
      await dispose();
    }
  });
});
