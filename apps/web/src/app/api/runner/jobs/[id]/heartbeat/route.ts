import { HeartbeatRequestSchema, type HeartbeatResponse } from "@course/runner/protocol";
import { heartbeatJob } from "~/server/runner/queue";
import { runnerEndpoint } from "~/server/runner/http";

export async function POST(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return runnerEndpoint(req, HeartbeatRequestSchema, async ({ db, runner, body }) => {
    const beat = await heartbeatJob(db.prisma, id, runner.id, body.logLines);
    await db.prisma.runnerToken.update({ where: { id: runner.id }, data: { lastSeenAt: new Date() } });
    const response: HeartbeatResponse = { leaseExpiresAt: beat.leaseExpiresAt.toISOString(), cancel: beat.cancel };
    return Response.json(response);
  });
}
