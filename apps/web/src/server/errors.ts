/**
 * The one error type server modules throw when they refuse a request: a code that says what kind of refusal it is
 * and a message written for the person who made the request. It is turned into a tRPC error in one place
 * (`server/trpc/init.ts`) and into an HTTP response in one place (`server/http/problem.ts`); modules never throw
 * TRPCError or build error responses themselves. Anything else thrown is a bug and answers 500.
 */
export const DOMAIN_ERROR_STATUS = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  TOO_MANY_REQUESTS: 429,
} as const;

export type DomainErrorCode = keyof typeof DOMAIN_ERROR_STATUS;

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** Extra facts for the client (sent as `data.details` over tRPC, beside `error` over HTTP). */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export const notFound = (message: string) => new DomainError("NOT_FOUND", message);
export const badRequest = (message: string) => new DomainError("BAD_REQUEST", message);
