export type GradingErrorCode = "NOT_FOUND" | "BAD_REQUEST" | "FORBIDDEN" | "CONFLICT";

/** A refusal with the tRPC/HTTP meaning it maps to. */
export class GradingError extends Error {
  constructor(
    readonly code: GradingErrorCode,
    message: string,
  ) {
    super(message);
  }
}
