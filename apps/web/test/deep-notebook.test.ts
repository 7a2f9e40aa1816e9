import { describe, expect, it } from "vitest";
import { storeSubmission, uploadRequest } from "./homework-support";
import { setRole, signUpWithPassword, type PublicUser } from "~/server/auth/users";
import { getAssignments } from "~/server/homework/assignments";
import { handleSubmissionUpload } from "~/server/homework/upload";
import { createCaller } from "~/server/trpc/root";
import { eachBackend } from "./support/backends";

const password = "a sound passphrase";

/** A valid notebook but for 40,000 nested arrays in its metadata (80 KB, under the assignment's 100 KiB limit). */
function deepNotebook(levels = 40_000) {
  const text = JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "typescript", display_name: "TypeScript", language: "typescript" }, x: "@@" },
    cells: [{ id: "c1", cell_type: "code", metadata: {}, execution_count: null, outputs: [], source: "1" }],
  });
  return text.replace('"@@"', "[".repeat(levels) + "]".repeat(levels));
}

eachBackend((db) => {
  const prisma = () => db().prisma;
  const caller = (user: PublicUser | null) => createCaller({ db: db(), user, ip: "127.0.0.1" });

  describe("a notebook nested 40,000 levels deep", () => {
    it("is refused at upload with the limit named, and nothing is stored", async () => {
      const alice = await signUpWithPassword(prisma(), { email: "alice@example.com", password });
      const res = await handleSubmissionUpload(uploadRequest({ file: deepNotebook(), name: "deep.ipynb", assignment: "open-hw" }), {
        prisma: prisma(),
        user: alice,
        assignments: await getAssignments(),
      });
      expect(res.status).toBe(422);
      const body = (await res.json()) as { code: string; error: string; issues: { message: string; line?: number }[] };
      expect(body.code).toBe("not-a-notebook");
      expect(body.error).toBe("deep.ipynb: nested too deeply.");
      expect(body.issues[0]?.message).toMatch(/the limit is 128/);
      expect(await prisma().submission.count()).toBe(0);
      expect(await prisma().job.count()).toBe(0);
    });

    it("stored before the limit existed, is shown on the admin job view as a clear message, not a crash", async () => {
      await signUpWithPassword(prisma(), { email: "admin@example.com", password });
      const admin = await setRole(prisma(), "admin@example.com", "admin");
      const student = await signUpWithPassword(prisma(), { email: "student@example.com", password });
      const sub = await storeSubmission(prisma(), student.id, "open-hw");
      await prisma().job.update({ where: { id: sub.jobId }, data: { notebook: deepNotebook(200_000) } });
      const job = await caller(admin).operations.jobs.get({ id: sub.jobId, withNotebooks: true });
      expect(job.notebooks?.submitted).toMatchObject({ ok: false, error: expect.stringMatching(/nested too deeply[\s\S]*the limit is 128/) });
      // What the page hands to React must serialize (a deep notebook object would overflow the stack here).
      expect(() => JSON.stringify(job)).not.toThrow();
    });
  });
});
