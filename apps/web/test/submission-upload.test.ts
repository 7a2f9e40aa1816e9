import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { MAX_FILE, notebookText, uploadRequest } from "./homework-support";
import { signUpWithPassword, type PublicUser } from "~/server/auth/users";
import { getAssignments } from "~/server/homework/assignments";
import { handleSubmissionDownload } from "~/server/homework/downloads";
import { handleSubmissionUpload } from "~/server/homework/upload";
import { claimNextJob, finishJob } from "~/server/runner/queue";
import { createRunnerToken } from "~/server/runner/tokens";
import { completion } from "./homework-support";
import { eachBackend } from "./support/backends";

const password = "a sound passphrase";

eachBackend((db) => {
  const prisma = () => db().prisma;
  const upload = async (req: Request, user: PublicUser | null, now?: Date) =>
    handleSubmissionUpload(req, { prisma: prisma(), user, assignments: await getAssignments(), now: now ? () => now : undefined });
  const stored = async () => ({ submissions: await prisma().submission.count(), jobs: await prisma().job.count() });
  async function people() {
    const admin = await signUpWithPassword(prisma(), { email: "admin@example.com", password });
    const alice = await signUpWithPassword(prisma(), { email: "alice@example.com", password });
    const bob = await signUpWithPassword(prisma(), { email: "bob@example.com", password });
    const grader = await prisma().user.update({ where: { id: (await signUpWithPassword(prisma(), { email: "grader@example.com", password })).id }, data: { role: "grader" } });
    return { admin, alice, bob, grader };
  }

  describe("POST /api/submissions", () => {
    it("stores a valid notebook with a queued job, in one transaction", async () => {
      const { alice } = await people();
      const text = notebookText();
      const res = await upload(uploadRequest({ file: text, name: "my homework.ipynb", assignment: "open-hw" }), alice);
      expect(res.status).toBe(201);
      const body = (await res.json()) as { id: string; jobId: string; status: string; link: string };
      expect(body.status).toBe("queued");
      const sub = await prisma().submission.findUniqueOrThrow({ where: { id: body.id }, include: { job: true } });
      expect(sub).toMatchObject({ userId: alice.id, assignmentSlug: "open-hw", fileName: "my homework.ipynb", size: Buffer.byteLength(text), notebook: text, finalChoice: false });
      expect(sub.sha256).toBe(createHash("sha256").update(text).digest("hex"));
      expect(sub.job).toMatchObject({ id: body.jobId, status: "queued", benchmarkId: "dogscats", notebook: text });
      expect(body.link).toBe(`/homework/submissions/${body.id}`);

      // Atomic: when the submission cannot be stored (its user vanished), the job is rolled back too.
      const ghost: PublicUser = { ...alice, id: "no-such-user" };
      await expect(upload(uploadRequest({ file: text, assignment: "open-hw" }), ghost)).rejects.toThrow();
      expect(await stored()).toEqual({ submissions: 1, jobs: 1 });
    });

    it("accepts the assignment in the query string too, and refuses a mismatch", async () => {
      const { alice } = await people();
      expect((await upload(uploadRequest({ file: notebookText() }, { query: "?assignment=open-hw" }), alice)).status).toBe(201);
      const mismatch = await upload(uploadRequest({ file: notebookText(), assignment: "closed-hw" }, { query: "?assignment=open-hw" }), alice);
      expect(mismatch.status).toBe(400);
      expect(await stored()).toEqual({ submissions: 1, jobs: 1 });
    });

    it("refuses a file that is not a notebook, with the reader's message and positions, and stores nothing", async () => {
      const { alice } = await people();
      const broken = await upload(uploadRequest({ file: '{\n  "cells": [\n    1,,\n  ]\n}', name: "broken.ipynb", assignment: "open-hw" }), alice);
      expect(broken.status).toBe(422);
      const b = (await broken.json()) as { code: string; error: string; issues: { line?: number; column?: number; message: string }[] };
      expect(b.code).toBe("not-a-notebook");
      expect(b.error).toMatch(/broken\.ipynb: not valid JSON/);
      expect(b.issues[0]).toMatchObject({ line: 3 });
      expect(b.issues[0]?.column).toBeGreaterThan(0);

      const notNb = await upload(uploadRequest({ file: JSON.stringify({ hello: "world" }), name: "data.json", assignment: "open-hw" }), alice);
      expect(notNb.status).toBe(422);
      expect(((await notNb.json()) as { error: string }).error).toMatch(/not a Jupyter notebook/);

      const png = await upload(uploadRequest({ file: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0xff, 0xfe]), name: "cat.png", assignment: "open-hw" }), alice);
      expect(png.status).toBe(422);
      expect(await stored()).toEqual({ submissions: 0, jobs: 0 });
    });

    it("refuses a file over the size limit from Content-Length before reading the body, and from the stream", async () => {
      const { alice } = await people();
      // Declared too large: answered without pulling a byte of the body.
      let pulled = 0;
      const untouched = new ReadableStream<Uint8Array>({
        pull(controller) {
          pulled++;
          controller.enqueue(new Uint8Array(1024));
        },
      });
      const declared = new Request("http://localhost/api/submissions?assignment=open-hw", {
        method: "POST",
        body: untouched,
        headers: { "content-type": "multipart/form-data; boundary=x", "content-length": String(50 * 1024 * 1024) },
        duplex: "half",
      } as RequestInit);
      const r1 = await upload(declared, alice);
      expect(r1.status).toBe(413);
      expect(((await r1.json()) as { error: string }).error).toMatch(/too large: the limit is 100 KiB\./);
      expect(pulled).toBeLessThanOrEqual(1);
      expect(r1.headers.get("connection")).toBe("close");

      // Declared too large but small enough to read: the rest of the body is read and dropped first, so a client
      // still sending gets the 413 instead of a reset connection, and the connection may stay open.
      const chunks = 20;
      let given = 0;
      const modest = new Request("http://localhost/api/submissions?assignment=open-hw", {
        method: "POST",
        body: new ReadableStream<Uint8Array>({
          pull(controller) {
            if (given++ === chunks) controller.close();
            else controller.enqueue(new Uint8Array(64 * 1024));
          },
        }),
        headers: { "content-type": "multipart/form-data; boundary=x", "content-length": String(chunks * 64 * 1024) },
        duplex: "half",
      } as RequestInit);
      const r2 = await upload(modest, alice);
      expect(r2.status).toBe(413);
      expect(given).toBe(chunks + 1);
      expect(r2.headers.get("connection")).toBeNull();

      // No Content-Length (chunked) and endless: the stream is cut off just past the cap.
      let sent = 0;
      const endless = new ReadableStream<Uint8Array>({
        pull(controller) {
          sent += 16 * 1024;
          controller.enqueue(new Uint8Array(16 * 1024).fill(0x61));
        },
      });
      const chunked = new Request("http://localhost/api/submissions?assignment=open-hw", {
        method: "POST",
        body: endless,
        headers: { "content-type": "multipart/form-data; boundary=x" },
        duplex: "half",
      } as RequestInit);
      expect((await upload(chunked, alice)).status).toBe(413);
      expect(sent).toBeLessThan(MAX_FILE + 64 * 1024 + 64 * 1024);

      // Just over the assignment's limit, inside the multipart allowance: refused on the file's own size.
      const big = notebookText("x".repeat(MAX_FILE));
      const r3 = await upload(uploadRequest({ file: big, name: "big.ipynb", assignment: "open-hw" }), alice);
      expect(r3.status).toBe(413);
      expect(((await r3.json()) as { error: string }).error).toMatch(/big\.ipynb is 100\.\d KiB: the limit is 100 KiB\./);
      expect(await stored()).toEqual({ submissions: 0, jobs: 0 });
    });

    it("allows the daily limit per UTC day and says when the next submission is allowed", async () => {
      const { alice, bob } = await people();
      const day = new Date("2030-03-04T10:00:00Z");
      for (let i = 0; i < 2; i++) expect((await upload(uploadRequest({ file: notebookText(), assignment: "open-hw" }), alice, day)).status).toBe(201);
      const third = await upload(uploadRequest({ file: notebookText(), assignment: "open-hw" }), alice, new Date("2030-03-04T23:59:00Z"));
      expect(third.status).toBe(429);
      const body = (await third.json()) as { code: string; error: string; retryAt: string };
      expect(body).toMatchObject({ code: "daily-limit", retryAt: "2030-03-05T00:00:00.000Z" });
      expect(body.error).toMatch(/already made 2 submissions today \(UTC\)\. The next one is allowed at 2030-03-05 00:00 UTC/);
      expect(third.headers.get("retry-after")).toBe("60");
      // Another student has their own allowance, and a new UTC day a fresh one.
      expect((await upload(uploadRequest({ file: notebookText(), assignment: "open-hw" }), bob, day)).status).toBe(201);
      expect((await upload(uploadRequest({ file: notebookText(), assignment: "open-hw" }), alice, new Date("2030-03-05T00:00:01Z"))).status).toBe(201);
      expect(await stored()).toEqual({ submissions: 4, jobs: 4 });
    });

    it("holds the daily limit under concurrent uploads", async () => {
      const { alice } = await people();
      const results = await Promise.all(Array.from({ length: 4 }, () => upload(uploadRequest({ file: notebookText(), assignment: "open-hw" }), alice)));
      expect(results.map((r) => r.status).sort()).toEqual([201, 201, 429, 429]);
      expect(await stored()).toEqual({ submissions: 2, jobs: 2 });
    });

    it("answers a retried upload (same Idempotency-Key, same bytes) with the stored submission: no new job, no daily slot", async () => {
      const { alice } = await people();
      const key = "0f6c1c1e-5b8e-4c55-9d1c-2b7a3f0a9e11";
      const day = new Date("2030-03-04T10:00:00Z");
      const text = notebookText();
      const first = await upload(uploadRequest({ file: text, assignment: "open-hw" }, { headers: { "Idempotency-Key": key } }), alice, day);
      expect(first.status).toBe(201);
      const stored1 = (await first.json()) as { id: string; jobId: string };
      // The connection reset after the commit; the client retries with the same key (here as the form field).
      const retryForm = uploadRequest({ file: text, assignment: "open-hw" });
      const form = await retryForm.formData();
      form.set("idempotencyKey", key);
      const retry = await upload(new Request(retryForm.url, { method: "POST", body: form }), alice, day);
      expect(retry.status).toBe(200);
      expect(await retry.json()).toMatchObject({ id: stored1.id, jobId: stored1.jobId, replayed: true });
      expect(await stored()).toEqual({ submissions: 1, jobs: 1 });
      expect((await prisma().submission.findUniqueOrThrow({ where: { id: stored1.id } })).idempotencyKey).toBe(key);
      // The retry used no slot: the second of the day is still allowed; and a retry past the limit still answers 200.
      expect((await upload(uploadRequest({ file: notebookText("2"), assignment: "open-hw" }), alice, day)).status).toBe(201);
      expect((await upload(uploadRequest({ file: text, assignment: "open-hw" }, { headers: { "Idempotency-Key": key } }), alice, day)).status).toBe(200);
      expect((await upload(uploadRequest({ file: notebookText("3"), assignment: "open-hw" }), alice, day)).status).toBe(429);
      expect(await stored()).toEqual({ submissions: 2, jobs: 2 });
    });

    it("refuses the same key with different bytes (422), keys are per student, and bad keys are named", async () => {
      const { alice, bob } = await people();
      const key = "retry-key-12345";
      expect((await upload(uploadRequest({ file: notebookText("a"), assignment: "open-hw" }, { headers: { "Idempotency-Key": key } }), alice)).status).toBe(201);
      const other = await upload(uploadRequest({ file: notebookText("b"), name: "other.ipynb", assignment: "open-hw" }, { headers: { "Idempotency-Key": key } }), alice);
      expect(other.status).toBe(422);
      const body = (await other.json()) as { code: string; error: string };
      expect(body.code).toBe("idempotency-key-reused");
      expect(body.error).toMatch(/already used for another upload \(homework\.ipynb, .*\) with different contents\. Send a new key/);
      // Bob's key space is his own.
      expect((await upload(uploadRequest({ file: notebookText("b"), assignment: "open-hw" }, { headers: { "Idempotency-Key": key } }), bob)).status).toBe(201);
      const short = await upload(uploadRequest({ file: notebookText("c"), assignment: "open-hw" }, { headers: { "Idempotency-Key": "abc" } }), bob);
      expect(short.status).toBe(400);
      expect(((await short.json()) as { error: string }).error).toMatch(/idempotency key is too short/);
      expect(await stored()).toEqual({ submissions: 2, jobs: 2 });
    });

    it("stores concurrent copies of one upload once", async () => {
      const { alice } = await people();
      const text = notebookText();
      const results = await Promise.all(
        Array.from({ length: 4 }, () => upload(uploadRequest({ file: text, assignment: "open-hw" }, { headers: { "Idempotency-Key": "same-upload-key" } }), alice)),
      );
      expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 201]);
      const ids = new Set(await Promise.all(results.map(async (r) => ((await r.json()) as { id: string }).id)));
      expect(ids.size).toBe(1);
      expect(await stored()).toEqual({ submissions: 1, jobs: 1 });
      // Copies for two assignments with one key race past the per-assignment lock: the unique (user, key) decides.
      await prisma().submission.deleteMany();
      const open = (await getAssignments()).find((a) => a.slug === "open-hw")!;
      const assignments = [open, { ...open, slug: "open-hw-2" }];
      const racing = await Promise.all(
        ["open-hw", "open-hw-2"].map((assignment) =>
          handleSubmissionUpload(uploadRequest({ file: text, assignment }, { headers: { "Idempotency-Key": "cross-assignment" } }), { prisma: prisma(), user: alice, assignments }),
        ),
      );
      expect(racing.map((r) => r.status).sort()).toEqual([201, 422]);
    });

    it("refuses uploads after the deadline, for unknown assignments and from anonymous visitors", async () => {
      const { alice } = await people();
      const late = await upload(uploadRequest({ file: notebookText(), assignment: "closed-hw" }), alice);
      expect(late.status).toBe(403);
      expect(((await late.json()) as { error: string }).error).toMatch(/deadline for "closed-hw title" was 2020-01-01 00:00 UTC: submissions are closed/);
      const unknown = await upload(uploadRequest({ file: notebookText(), assignment: "no-such-hw" }), alice);
      expect(unknown.status).toBe(404);
      expect(((await unknown.json()) as { error: string }).error).toBe('There is no assignment "no-such-hw".');
      const anonymous = await upload(uploadRequest({ file: notebookText(), assignment: "open-hw" }), null);
      expect(anonymous.status).toBe(401);
      expect(await stored()).toEqual({ submissions: 0, jobs: 0 });
    });
  });

  describe("GET /api/submissions/[id]/...", () => {
    it("serves the owner's executed notebook and submission.csv, and hides them from other students", async () => {
      const { alice, bob, grader } = await people();
      const res = await upload(uploadRequest({ file: notebookText(), name: "cats & dogs.ipynb", assignment: "open-hw" }), alice);
      const { id } = (await res.json()) as { id: string };
      const runner = await createRunnerToken(prisma(), "r");
      const job = await claimNextJob(prisma(), runner.record.id);
      const done = completion([0.2, 0.9]);
      await finishJob(prisma(), job!.id, runner.record.id, { kind: "complete", body: done });

      const executed = await handleSubmissionDownload(prisma(), alice, id, "executed.ipynb");
      expect(executed.status).toBe(200);
      expect(executed.headers.get("content-type")).toBe("application/x-ipynb+json; charset=utf-8");
      expect(executed.headers.get("content-disposition")).toBe('attachment; filename="cats_dogs.executed.ipynb"');
      expect(await executed.text()).toBe(done.executedNotebook);
      const csv = await handleSubmissionDownload(prisma(), alice, id, "submission.csv");
      expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      expect(csv.headers.get("content-disposition")).toBe('attachment; filename="cats_dogs.submission.csv"');
      expect(await csv.text()).toBe(done.submissionCsv);

      for (const kind of ["executed.ipynb", "submission.csv", "submitted.ipynb"] as const) {
        const other = await handleSubmissionDownload(prisma(), bob, id, kind);
        expect(other.status).toBe(404);
        expect(await other.text()).not.toContain("executed");
        expect((await handleSubmissionDownload(prisma(), null, id, kind)).status).toBe(401);
        expect((await handleSubmissionDownload(prisma(), grader, id, kind)).status).toBe(200);
      }
      expect((await handleSubmissionDownload(prisma(), alice, "nope", "executed.ipynb")).status).toBe(404);
    });
  });
});
