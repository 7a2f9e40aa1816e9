import { FailRequestSchema } from "@course/runner/protocol";
import { finishJob } from "~/server/runner/queue";
import { runnerEndpoint } from "~/server/runner/http";

export async function POST(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return runnerEndpoint(req, FailRequestSchema, async ({ db, runner, body }) => {
    await finishJob(db.prisma, id, runner.id, { kind: "fail", body });
    return Response.json({ ok: true });
  });
}
