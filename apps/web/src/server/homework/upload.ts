import { createHash } from "node:crypto";
import type { Assignment } from "@course/content";
import { Prisma, type PrismaClient } from "@course/db";
import { NotebookFormatError, readNotebook } from "@course/notebook";
import { z } from "zod";
import type { PublicUser } from "../auth/users";
import { problem as problemResponse } from "../http/problem";
import { BodyTooLargeError, readCapped } from "../http/read-capped";
import { enqueueJob } from "../runner/queue";
import { nextUtcMidnight, startOfUtcDay } from "./time";
import { formatBytes, formatUtc } from "../../lib/format";

/** Room for the multipart boundaries and the other fields around the file. */
const MULTIPART_OVERHEAD = 64 * 1024;
const MAX_FILE_NAME = 200;

export interface UploadDeps {
  prisma: PrismaClient;
  user: PublicUser | null;
  assignments: readonly Assignment[];
  now?: () => Date;
}

export interface UploadProblem {
  error: string;
  code:
    | "unauthenticated"
    | "unknown-assignment"
    | "deadline-passed"
    | "too-large"
    | "bad-request"
    | "not-a-notebook"
    | "daily-limit"
    | "idempotency-key-reused";
  /** For not-a-notebook: the first problems, with line and column when known. */
  issues?: { path: string; message: string; line?: number; column?: number }[];
  /** For daily-limit: when the next submission is allowed (ISO). */
  retryAt?: string;
}

const problem = (status: number, body: UploadProblem, headers: Record<string, string> = {}) => problemResponse(status, { ...body }, headers);

/**
 * How much of a body declared too large is still read (and dropped) before the 413 goes out. A client that is still
 * sending when the server answers and closes gets a reset instead of the answer (browsers report a network error);
 * reading the rest first, as nginx's lingering close does, lets it read the clear message. Larger bodies are refused
 * at once and the connection is closed.
 */
const LINGER_BYTES = 16 * 1024 * 1024;

/** Reads and drops the body; false (and the stream cancelled) once more than `limit` bytes came. */
async function discardBody(req: Request, limit: number): Promise<boolean> {
  if (!req.body) return true;
  const reader = req.body.getReader();
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return true;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      return false;
    }
  }
}

/** `Idempotency-Key` header or `idempotencyKey` form field: what a client sends again when it retries one upload. */
export const IdempotencyKeySchema = z
  .string()
  .trim()
  .min(8, "The idempotency key is too short: send at least 8 characters (a random UUID is best).")
  .max(200, "The idempotency key is too long: at most 200 characters.")
  .regex(/^[\x21-\x7e]+$/, "The idempotency key may use only printable ASCII characters without spaces.");

const accepted = (sub: { id: string; createdAt: Date; job: { id: string; status: string } }, status: 200 | 201) =>
  Response.json(
    { id: sub.id, jobId: sub.job.id, status: sub.job.status, createdAt: sub.createdAt.toISOString(), link: `/homework/submissions/${sub.id}`, replayed: status === 200 },
    { status, headers: { "Cache-Control": "no-store" } },
  );

/**
 * The answer to a retry: the submission already stored under this key (200, nothing new stored, no daily slot
 * used), or 422 when the key was used for a different file or assignment. Null when the key is new.
 */
async function replay(prisma: PrismaClient, userId: string, key: string, upload: { sha256: string; assignmentSlug: string }): Promise<Response | null> {
  const existing = await prisma.submission.findUnique({
    where: { userId_idempotencyKey: { userId, idempotencyKey: key } },
    select: { id: true, createdAt: true, sha256: true, assignmentSlug: true, fileName: true, job: { select: { id: true, status: true } } },
  });
  if (!existing) return null;
  if (existing.sha256 !== upload.sha256 || existing.assignmentSlug !== upload.assignmentSlug) {
    return problem(422, {
      code: "idempotency-key-reused",
      error: `This idempotency key was already used for another upload (${existing.fileName}, ${formatUtc(existing.createdAt)}) with different contents. Send a new key for a new file.`,
    });
  }
  return accepted(existing, 200);
}

/**
 * POST /api/submissions: multipart/form-data with `file` (the .ipynb) and `assignment` (slug; also accepted as the
 * `?assignment=` query parameter, which lets the size limit apply before the body is read). Every check runs before
 * anything is stored; an accepted notebook is stored with its queued job in one transaction. With an idempotency key
 * (`Idempotency-Key` header or `idempotencyKey` field), a retry of an upload that was stored answers 200 with the
 * stored submission instead of storing it twice.
 */
export async function handleSubmissionUpload(req: Request, deps: UploadDeps): Promise<Response> {
  const now = deps.now?.() ?? new Date();
  const user = deps.user;
  if (!user) return problem(401, { code: "unauthenticated", error: "Sign in to submit homework." });

  const querySlug = new URL(req.url).searchParams.get("assignment");
  const fromQuery = querySlug ? deps.assignments.find((a) => a.slug === querySlug) : undefined;
  if (querySlug && !fromQuery) return problem(404, { code: "unknown-assignment", error: `There is no assignment "${querySlug}".` });
  if (fromQuery && now >= fromQuery.deadline) {
    return problem(403, { code: "deadline-passed", error: `The deadline for "${fromQuery.title}" was ${formatUtc(fromQuery.deadline)}: submissions are closed.` });
  }

  const maxFile = fromQuery?.maxFileBytes ?? Math.max(0, ...deps.assignments.map((a) => a.maxFileBytes));
  const cap = maxFile + MULTIPART_OVERHEAD;
  const tooLarge = (close = true) =>
    problem(413, { code: "too-large", error: `The file is too large: the limit is ${formatBytes(maxFile)}.` }, close ? { Connection: "close" } : {});
  const declared = req.headers.get("content-length");
  if (declared !== null && Number(declared) > cap) {
    const drained = Number(declared) <= LINGER_BYTES && (await discardBody(req, LINGER_BYTES));
    return tooLarge(!drained);
  }

  const contentType = req.headers.get("content-type") ?? "";
  if (!contentType.startsWith("multipart/form-data")) {
    return problem(400, { code: "bad-request", error: "Send the notebook as multipart/form-data with a `file` field." });
  }
  let form: FormData;
  try {
    const body = await readCapped(req, cap);
    form = await new Response(body, { headers: { "content-type": contentType } }).formData();
  } catch (error) {
    if (error instanceof BodyTooLargeError) return tooLarge();
    return problem(400, { code: "bad-request", error: "The upload could not be read as multipart/form-data." });
  }

  const formSlug = form.get("assignment");
  const slug = querySlug ?? (typeof formSlug === "string" ? formSlug : null);
  if (querySlug && typeof formSlug === "string" && formSlug !== querySlug) {
    return problem(400, { code: "bad-request", error: `The form says assignment "${formSlug}" but the URL says "${querySlug}".` });
  }
  const assignment = slug ? deps.assignments.find((a) => a.slug === slug) : undefined;
  if (!assignment) return problem(404, { code: "unknown-assignment", error: slug ? `There is no assignment "${slug}".` : "Say which assignment this is for (`assignment` field)." });
  if (now >= assignment.deadline) {
    return problem(403, { code: "deadline-passed", error: `The deadline for "${assignment.title}" was ${formatUtc(assignment.deadline)}: submissions are closed.` });
  }

  const file = form.get("file");
  if (!(file instanceof File)) return problem(400, { code: "bad-request", error: "Choose a notebook file to upload (`file` field)." });
  const bytes = new Uint8Array(await file.arrayBuffer());
  const sha256 = createHash("sha256").update(bytes).digest("hex");

  const formKey = form.get("idempotencyKey");
  const headerKey = req.headers.get("idempotency-key");
  let idempotencyKey: string | null = null;
  if (headerKey !== null || formKey !== null) {
    const parsedKey = IdempotencyKeySchema.safeParse(headerKey ?? formKey);
    if (!parsedKey.success) return problem(400, { code: "bad-request", error: parsedKey.error.issues[0]?.message ?? "Invalid idempotency key." });
    if (headerKey !== null && typeof formKey === "string" && formKey.trim() !== parsedKey.data) {
      return problem(400, { code: "bad-request", error: "The Idempotency-Key header and the idempotencyKey field differ: send one key." });
    }
    idempotencyKey = parsedKey.data;
    // A retry of an upload that was stored answers as the first one did, whatever happened since (the daily limit).
    const again = await replay(deps.prisma, user.id, idempotencyKey, { sha256, assignmentSlug: assignment.slug });
    if (again) return again;
  }
  const fileName = (file.name || "notebook.ipynb").replace(/[\\/]/g, "_").slice(0, MAX_FILE_NAME);
  if (file.size > assignment.maxFileBytes) {
    return problem(413, { code: "too-large", error: `${fileName} is ${formatBytes(file.size)}: the limit is ${formatBytes(assignment.maxFileBytes)}.` });
  }
  if (file.size === 0) return problem(400, { code: "not-a-notebook", error: `${fileName} is empty: upload a Jupyter notebook (.ipynb).` });
  try {
    readNotebook(bytes, { maxBytes: assignment.maxFileBytes, fileName });
  } catch (error) {
    if (error instanceof NotebookFormatError) {
      const [head] = error.message.split("\n");
      return problem(422, {
        code: "not-a-notebook",
        error: `${head ?? "Not a notebook"}.`,
        issues: error.issues.slice(0, 5).map((i) => ({ path: i.path, message: i.message, line: i.line, column: i.column })),
      });
    }
    throw error;
  }
  const notebook = new TextDecoder().decode(bytes);

  const store = () => deps.prisma.$transaction(async (tx) => {
    // One student's concurrent uploads queue up here, so two requests cannot both take the last slot of the day.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`submission:${user.id}:${assignment.slug}`}))`;
    const today = await tx.submission.count({ where: { userId: user.id, assignmentSlug: assignment.slug, createdAt: { gte: startOfUtcDay(now) } } });
    // A copy of this upload that held the lock before us was stored: answer as a retry (below), not with the limit.
    if (idempotencyKey && (await tx.submission.count({ where: { userId: user.id, idempotencyKey } })) > 0) return { duplicate: true as const };
    if (today >= assignment.dailyLimit) return { limited: true as const };
    const job = await enqueueJob(tx as unknown as PrismaClient, { notebook, benchmarkId: assignment.benchmark });
    const submission = await tx.submission.create({
      data: { userId: user.id, assignmentSlug: assignment.slug, fileName, size: bytes.byteLength, sha256, notebook, jobId: job.id, createdAt: now, idempotencyKey },
      select: { id: true, createdAt: true },
    });
    return { submission: { ...submission, job } };
  });
  let result: Awaited<ReturnType<typeof store>>;
  try {
    result = await store();
  } catch (error) {
    // Two copies of one upload raced past the lookup above: the unique (user, key) lets one in; the other answers
    // as a retry would.
    if (idempotencyKey && error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      const again = await replay(deps.prisma, user.id, idempotencyKey, { sha256, assignmentSlug: assignment.slug });
      if (again) return again;
    }
    throw error;
  }
  if ("duplicate" in result) {
    const again = await replay(deps.prisma, user.id, idempotencyKey!, { sha256, assignmentSlug: assignment.slug });
    if (again) return again;
    throw new Error("An upload with this idempotency key vanished while this one waited.");
  }
  if ("limited" in result) {
    const retryAt = nextUtcMidnight(now);
    return problem(
      429,
      {
        code: "daily-limit",
        error: `You already made ${assignment.dailyLimit} submission${assignment.dailyLimit === 1 ? "" : "s"} today (UTC). The next one is allowed at ${formatUtc(retryAt)}.`,
        retryAt: retryAt.toISOString(),
      },
      { "Retry-After": String(Math.ceil((retryAt.getTime() - now.getTime()) / 1000)) },
    );
  }
  return accepted(result.submission, 201);
}
