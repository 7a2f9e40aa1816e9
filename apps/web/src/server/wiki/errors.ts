export type WikiErrorCode = "NOT_FOUND" | "BAD_REQUEST" | "FORBIDDEN" | "CONFLICT";

/** A refusal with the tRPC/HTTP meaning it maps to (like GradingError). */
export class WikiError extends Error {
  constructor(
    readonly code: WikiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "WikiError";
  }
}
