import { DOMAIN_ERROR_STATUS, DomainError } from "../errors";

/** A route handler's refusal: JSON `{ error, ...extra }` with the status, never stored by a cache. */
export function problem(status: number, body: { error: string } & Record<string, unknown>, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { "Cache-Control": "no-store", ...headers } });
}

/** The one place a DomainError becomes an HTTP response: its code's status, its message as `error`, its details beside. */
export function errorResponse(error: DomainError): Response {
  return problem(DOMAIN_ERROR_STATUS[error.code], { ...error.details, error: error.message });
}

/**
 * Runs a route handler's work: a DomainError it throws answers with its status (see errorResponse); anything else is
 * a bug, logged under `tag`, and answers 500 without its details.
 */
export async function answering(tag: string, work: () => Promise<Response>): Promise<Response> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DomainError) return errorResponse(error);
    console.error(`[${tag}]`, error);
    return problem(500, { error: "Internal error" });
  }
}
