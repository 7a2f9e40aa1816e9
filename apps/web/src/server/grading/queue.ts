import type { Prisma, PrismaClient } from "@course/db";
import { stateOf } from "../homework/submissions";
import { getAssignments } from "../homework/assignments";

export const JOB_FILTERS = ["queued", "running", "scored", "failed"] as const;
export const REVIEW_FILTERS = ["none", "draft", "returned"] as const;
export type JobFilter = (typeof JOB_FILTERS)[number];
export type ReviewFilter = (typeof REVIEW_FILTERS)[number];

export interface QueueFilters {
  /** only these assignments (a lesson filter resolves to its assignments' slugs) */
  assignmentSlugs?: string[];
  job?: JobFilter;
  review?: ReviewFilter;
  /** "student": each student's submissions together (by email), oldest first within a student. */
  group?: QueueGrouping;
}

export const QUEUE_GROUPINGS = ["student"] as const;
export type QueueGrouping = (typeof QUEUE_GROUPINGS)[number];

export const QUEUE_PAGE_SIZE = 25;

const JOB_STATUS: Record<JobFilter, Prisma.JobWhereInput> = {
  queued: { status: "queued" },
  running: { status: "running" },
  scored: { status: "succeeded" },
  failed: { status: { in: ["failed", "cancelled"] } },
};

const REVIEW: Record<ReviewFilter, Prisma.SubmissionWhereInput> = {
  none: { review: { is: null } },
  draft: { review: { is: { status: "draft" } } },
  returned: { review: { is: { status: "returned" } } },
};

function baseWhere(f: QueueFilters): Prisma.SubmissionWhereInput {
  return f.assignmentSlugs ? { assignmentSlug: { in: f.assignmentSlugs } } : {};
}

function filteredWhere(f: QueueFilters): Prisma.SubmissionWhereInput {
  return { AND: [baseWhere(f), f.job ? { job: JOB_STATUS[f.job] } : {}, f.review ? REVIEW[f.review] : {}] };
}

const OPEN_REGRADE: Prisma.SubmissionWhereInput = { regradeRequests: { some: { status: "open" } } };
const NO_OPEN_REGRADE: Prisma.SubmissionWhereInput = { regradeRequests: { none: { status: "open" } } };

const itemSelect = {
  id: true,
  assignmentSlug: true,
  fileName: true,
  createdAt: true,
  finalChoice: true,
  publicLogLoss: true,
  publicAccuracy: true,
  user: { select: { id: true, email: true, name: true } },
  job: { select: { status: true, failureReason: true } },
  review: { select: { status: true, returnedAt: true, updatedAt: true } },
  _count: { select: { regradeRequests: { where: { status: "open" } }, cellComments: true } },
} as const satisfies Prisma.SubmissionSelect;

/**
 * The graders' queue: submissions with an open regrade request first, then the rest; oldest first within each group
 * (first come, first reviewed). Grouped by student, each student's submissions come together instead. Counts are for
 * the lesson/assignment filter only, so the other filters show sizes.
 */
export async function gradingQueue(prisma: PrismaClient, filters: QueueFilters, page: number, pageSize = QUEUE_PAGE_SIZE) {
  const where = filteredWhere(filters);
  const openWhere = { AND: [where, OPEN_REGRADE] };
  const restWhere = { AND: [where, NO_OPEN_REGRADE] };
  const base = baseWhere(filters);
  const [total, openTotal] = await prisma.$transaction([prisma.submission.count({ where }), prisma.submission.count({ where: openWhere })]);
  const counts = await queueCounts(prisma, base);
  const skip = (page - 1) * pageSize;
  let rows;
  if (filters.group === "student") {
    // One student's submissions together, so a grader can review a student's work (and their finals) in one sitting.
    const orderBy: Prisma.SubmissionOrderByWithRelationInput[] = [{ user: { email: "asc" } }, { createdAt: "asc" }, { id: "asc" }];
    rows = await prisma.submission.findMany({ where, orderBy, skip, take: pageSize, select: itemSelect });
  } else {
    const orderBy = [{ createdAt: "asc" as const }, { id: "asc" as const }];
    const first = skip < openTotal ? await prisma.submission.findMany({ where: openWhere, orderBy, skip, take: pageSize, select: itemSelect }) : [];
    const restSkip = Math.max(0, skip - openTotal);
    const rest = first.length < pageSize ? await prisma.submission.findMany({ where: restWhere, orderBy, skip: restSkip, take: pageSize - first.length, select: itemSelect }) : [];
    rows = [...first, ...rest];
  }
  const items = rows.map((s) => ({
    id: s.id,
    assignmentSlug: s.assignmentSlug,
    fileName: s.fileName,
    createdAt: s.createdAt,
    student: s.user,
    final: s.finalChoice,
    jobState: stateOf(s.job.status),
    failureReason: s.job.failureReason,
    publicScore: s.publicLogLoss !== null && s.publicAccuracy !== null ? { logLoss: s.publicLogLoss, accuracy: s.publicAccuracy } : null,
    review: s.review?.status ?? ("none" as const),
    returnedAt: s.review?.returnedAt ?? null,
    openRegrades: s._count.regradeRequests,
    comments: s._count.cellComments,
  }));
  return { items, total, page, pageSize, pages: Math.max(1, Math.ceil(total / pageSize)), counts };
}

async function queueCounts(prisma: PrismaClient, base: Prisma.SubmissionWhereInput) {
  const count = (extra: Prisma.SubmissionWhereInput) => prisma.submission.count({ where: { AND: [base, extra] } });
  // One batch on one connection (a consistent snapshot), rather than nine connections at once.
  const [all, queued, running, scored, failed, none, draft, returned, openRegrades] = await prisma.$transaction([
    count({}),
    count({ job: JOB_STATUS.queued }),
    count({ job: JOB_STATUS.running }),
    count({ job: JOB_STATUS.scored }),
    count({ job: JOB_STATUS.failed }),
    count(REVIEW.none),
    count(REVIEW.draft),
    count(REVIEW.returned),
    count(OPEN_REGRADE),
  ]);
  return { all, job: { queued, running, scored, failed }, review: { none, draft, returned }, openRegrades };
}

export interface QueueQuery {
  lesson?: string;
  assignment?: string;
  job?: JobFilter;
  review?: ReviewFilter;
  group?: QueueGrouping;
  page: number;
}

/** The queue for a lesson and/or assignment filter, with the assignments the filters offer. */
export async function gradingQueueFor(prisma: PrismaClient, query: QueueQuery) {
  const assignments = await getAssignments();
  let slugs: string[] | undefined;
  if (query.lesson) slugs = assignments.filter((a) => a.lesson === query.lesson).map((a) => a.slug);
  if (query.assignment) slugs = (slugs ?? [query.assignment]).filter((s) => s === query.assignment);
  const queue = await gradingQueue(prisma, { assignmentSlugs: slugs, job: query.job, review: query.review, group: query.group }, query.page);
  return { ...queue, assignments: assignments.map((a) => ({ slug: a.slug, lesson: a.lesson, title: a.title })) };
}
