import type { Database } from "@course/db";
import { describe, expect, it, vi } from "vitest";
import { completion } from "./homework-support";
import { createRunnerToken } from "~/server/runner/tokens";
import { eachBackend } from "./support/backends";

// The runner API reads the database through this module: the test gives it the test database.
const current = vi.hoisted(() => ({ db: null as Database | null }));
vi.mock("~/server/db", () => ({
  getDb: async () => {
    if (!current.db) throw new Error("no database");
    return current.db;
  },
}));

const MiB = 1024 * 1024;

eachBackend((db) => {
  describe("the runner API's 64 MiB body cap", () => {
    async function post(body: ReadableStream<Uint8Array> | string, headers: Record<string, string> = {}) {
      current.db = db();
      const { token } = await createRunnerToken(db().prisma, "runner");
      const { POST } = await import("~/app/api/runner/jobs/[id]/complete/route");
      const req = new Request("http://localhost/api/runner/jobs/nope/complete", {
        method: "POST",
        body,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...headers },
        duplex: "half",
      } as RequestInit);
      return POST(req, { params: Promise.resolve({ id: "nope" }) });
    }

    it("counts the bytes of a chunked body (no Content-Length) and stops reading just past the cap", async () => {
      const chunk = new Uint8Array(MiB).fill(0x20); // spaces: valid JSON whitespace, so only the size can refuse it
      let sent = 0;
      const eightyMiB = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent >= 80 * MiB) return controller.close();
          sent += chunk.byteLength;
          controller.enqueue(chunk);
        },
      });
      const res = await post(eightyMiB);
      expect(res.status).toBe(413);
      expect(((await res.json()) as { error: string }).error).toMatch(/over 67108864 bytes/);
      // Cancelled once past the cap, not read to the end.
      expect(sent).toBeLessThanOrEqual(64 * MiB + 2 * MiB);
    });

    it("still refuses a declared Content-Length over the cap unread, and reads a normal body", async () => {
      let pulled = 0;
      const untouched = new ReadableStream<Uint8Array>({
        pull(controller) {
          pulled++;
          controller.enqueue(new Uint8Array(1024));
        },
      });
      expect((await post(untouched, { "content-length": String(65 * MiB) })).status).toBe(413);
      expect(pulled).toBeLessThanOrEqual(1);
      // A well-formed completion for an unknown job gets as far as the queue, which answers 409.
      expect((await post(JSON.stringify(completion([0.2, 0.9])))).status).toBe(409);
      expect((await post("{not json")).status).toBe(400);
    });
  });
});
