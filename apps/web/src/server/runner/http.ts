import "server-only";
import type { Database } from "@course/db";
import type { z } from "zod";
import { getDb } from "../db";
import { BodyTooLargeError, readCapped } from "../http/read-capped";
import { answering, problem as problemBody } from "../http/problem";
import { authenticateRunner } from "./tokens";

// Executed notebooks carry images; this caps one runner request.
const MAX_BODY_BYTES = 64 * 1024 * 1024;

type Runner = NonNullable<Awaited<ReturnType<typeof authenticateRunner>>>;

const problem = (status: number, error: string) => problemBody(status, { error });

/** Authenticates the runner token, parses the JSON body with the protocol's schema, and maps errors to HTTP. */
export async function runnerEndpoint<S extends z.ZodType>(
  req: Request,
  schema: S,
  handle: (ctx: { db: Database; runner: Runner; body: z.infer<S> }) => Promise<Response>,
): Promise<Response> {
  const db = await getDb();
  const runner = await authenticateRunner(db.prisma, req.headers.get("authorization"));
  if (!runner) return problem(401, "Missing, unknown or revoked runner token (Authorization: Bearer <token>).");
  const tooLarge = () => problem(413, `Request body over ${MAX_BODY_BYTES} bytes.`);
  // A declared length over the cap is refused unread; an undeclared (chunked) or understated one is counted as read.
  const length = Number(req.headers.get("content-length") ?? 0);
  if (length > MAX_BODY_BYTES) return tooLarge();
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder().decode(await readCapped(req, MAX_BODY_BYTES)));
  } catch (error) {
    if (error instanceof BodyTooLargeError) return tooLarge();
    return problem(400, "The request body is not valid JSON.");
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`);
    return problem(400, `Invalid request: ${first.join("; ")}`);
  }
  // A lost lease (LeaseLostError) answers 409 there.
  return answering("runner-api", () => handle({ db, runner, body: parsed.data }));
}
