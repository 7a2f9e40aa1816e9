import { z } from "zod";
import { cancelLiveJob, createRunner, JOB_STATUSES, jobDetail, listJobs, listRunners, requeueFinishedJob, revokeRunner } from "../../runner/operations";
import { adminProcedure, createTRPCRouter } from "../init";

const idInput = z.object({ id: z.string().trim().min(1).max(200) });

const runnersRouter = createTRPCRouter({
  list: adminProcedure.query(({ ctx }) => listRunners(ctx.db.prisma)),
  createToken: adminProcedure
    .input(z.object({ name: z.string().trim().min(1, "Give the runner a name.").max(100, "At most 100 characters.") }))
    .mutation(({ ctx, input }) => createRunner(ctx.db.prisma, input.name)),
  revoke: adminProcedure.input(idInput).mutation(({ ctx, input }) => revokeRunner(ctx.db.prisma, input.id)),
});

const jobsRouter = createTRPCRouter({
  list: adminProcedure
    .input(
      z.object({
        status: z.enum(JOB_STATUSES).optional(),
        limit: z.number().int().min(1).max(200).default(50),
        cursor: z.string().min(1).max(200).nullish(),
      }),
    )
    .query(({ ctx, input }) => listJobs(ctx.db.prisma, input)),
  get: adminProcedure
    .input(idInput.extend({ withNotebooks: z.boolean().default(false) }))
    .query(({ ctx, input }) => jobDetail(ctx.db.prisma, input.id, input.withNotebooks)),
  requeue: adminProcedure.input(idInput).mutation(({ ctx, input }) => requeueFinishedJob(ctx.db.prisma, input.id)),
  cancel: adminProcedure.input(idInput).mutation(({ ctx, input }) => cancelLiveJob(ctx.db.prisma, input.id)),
});

/** Operators' view of runners and grading jobs (admins only); the work is in server/runner/operations.ts. */
export const operationsRouter = createTRPCRouter({
  runners: runnersRouter,
  jobs: jobsRouter,
});
