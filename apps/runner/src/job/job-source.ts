import type { ClaimedJob, CompleteRequest, FailRequest, HeartbeatResponse, LogLine } from "../protocol";

/** Where jobs come from and where results go (the web app over HTTP, or anything else). */
export interface JobSource {
  /** Waits (long-poll) for a job; null when there is none right now. */
  claim(signal?: AbortSignal): Promise<ClaimedJob | null>;
  /** Extends the lease and appends log lines. Throws LeaseLostError when the job is no longer ours. */
  heartbeat(jobId: string, logLines: LogLine[]): Promise<HeartbeatResponse>;
  complete(jobId: string, result: CompleteRequest): Promise<void>;
  fail(jobId: string, failure: FailRequest): Promise<void>;
}

/** The server no longer considers this runner the holder of the job (lease expired, job requeued). */
export class LeaseLostError extends Error {
  override name = "LeaseLostError";
}
