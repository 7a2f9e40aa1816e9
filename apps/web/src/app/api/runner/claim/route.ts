import { ClaimRequestSchema, type ClaimResponse } from "@course/runner/protocol";
import { claimNextJob } from "~/server/runner/queue";
import { runnerEndpoint } from "~/server/runner/http";

export const dynamic = "force-dynamic";

const POLL_MS = 1000;

/** Long-poll: answers with a job as soon as one is queued, or 204 after `waitSeconds`. */
export async function POST(req: Request) {
  return runnerEndpoint(req, ClaimRequestSchema, async ({ db, runner, body }) => {
    await db.prisma.runnerToken.update({
      where: { id: runner.id },
      data: { lastSeenAt: new Date(), capabilities: body.capabilities },
    });
    const deadline = Date.now() + body.waitSeconds * 1000;
    for (;;) {
      const job = await claimNextJob(db.prisma, runner.id);
      if (job) {
        const response: ClaimResponse = {
          job: { id: job.id, attempt: job.attempts, benchmarkId: job.benchmarkId, notebook: job.notebook, leaseSeconds: job.leaseSeconds },
        };
        return Response.json(response);
      }
      if (Date.now() + POLL_MS > deadline || req.signal.aborted) return new Response(null, { status: 204 });
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  });
}
