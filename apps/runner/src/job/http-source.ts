import type { z } from "zod";
import {
  AckResponseSchema,
  ClaimResponseSchema,
  CompleteRequestSchema,
  FailRequestSchema,
  HeartbeatResponseSchema,
  runnerPaths,
  type Capabilities,
  type ClaimedJob,
  type ClaimRequest,
  type CompleteRequest,
  type FailRequest,
  type HeartbeatResponse,
  type LogLine,
} from "../protocol";
import { LeaseLostError, type JobSource } from "./job-source";

export class RunnerProtocolError extends Error {
  override name = "RunnerProtocolError";
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
  }
}

export interface RetryPolicy {
  baseMs: number;
  maxMs: number;
  /** Attempts for complete/fail (claim retries until aborted). */
  maxAttempts: number;
}

export interface HttpJobSourceOptions {
  serverUrl: string;
  token: string;
  capabilities: Capabilities;
  /** Long-poll wait the server may use before answering 204. */
  waitSeconds?: number;
  retry?: Partial<RetryPolicy>;
  fetch?: typeof fetch;
  log?: (message: string) => void;
}

const RETRYABLE = new Set([408, 425, 429, 500, 502, 503, 504]);

/** Why the signal aborted, as an Error (AbortSignal.reason is typed `any`; abort() gives a DOMException, an Error). */
const abortReason = (signal: AbortSignal): Error => (signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason)));

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortReason(signal));
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal ? abortReason(signal) : new Error("aborted"));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Exponential backoff with jitter: base * 2^attempt, capped, times 0.5..1. */
export function backoffMs(attempt: number, policy: RetryPolicy): number {
  const exp = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempt, 20));
  return Math.round(exp * (0.5 + Math.random() * 0.5));
}

/** Runner protocol client (see protocol.ts): bearer token, JSON bodies, retries with backoff. */
export class HttpJobSource implements JobSource {
  private readonly base: string;
  private readonly retry: RetryPolicy;
  private readonly fetchImpl: typeof fetch;
  private readonly log: (message: string) => void;

  constructor(private readonly opts: HttpJobSourceOptions) {
    const url = new URL(opts.serverUrl);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`server URL must be http(s): ${opts.serverUrl}`);
    this.base = url.toString().replace(/\/+$/, "");
    this.retry = { baseMs: 500, maxMs: 30_000, maxAttempts: 10, ...opts.retry };
    this.fetchImpl = opts.fetch ?? fetch;
    this.log = opts.log ?? (() => undefined);
  }

  private async post(path: string, body: unknown, timeoutMs: number, signal?: AbortSignal): Promise<Response> {
    const signals = [AbortSignal.timeout(timeoutMs)];
    if (signal) signals.push(signal);
    return this.fetchImpl(this.base + path, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${this.opts.token}` },
      body: JSON.stringify(body),
      signal: AbortSignal.any(signals),
    });
  }

  /** POSTs with retries on network errors and retryable statuses; returns the first non-retryable response. */
  private async postWithRetry(
    path: string,
    body: unknown,
    opts: { timeoutMs: number; maxAttempts: number; signal?: AbortSignal; what: string },
  ): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      let problem: string;
      try {
        const res = await this.post(path, body, opts.timeoutMs, opts.signal);
        if (!RETRYABLE.has(res.status)) return res;
        problem = `HTTP ${res.status}`;
        await res.body?.cancel();
      } catch (e) {
        if (opts.signal?.aborted) throw e;
        const cause = (e as { cause?: { code?: string } }).cause?.code;
        problem = cause ?? (e as Error).message;
      }
      if (attempt + 1 >= opts.maxAttempts) {
        throw new RunnerProtocolError(`${opts.what}: giving up after ${attempt + 1} attempt(s): ${problem}`, null);
      }
      const wait = backoffMs(attempt, this.retry);
      this.log(`${opts.what}: ${problem}; retrying in ${(wait / 1000).toFixed(1)} s`);
      await sleep(wait, opts.signal);
    }
  }

  private async expectJson<T extends z.ZodType>(res: Response, schema: T, what: string): Promise<z.infer<T>> {
    const text = await res.text();
    if (res.status === 401 || res.status === 403) {
      throw new RunnerProtocolError(`${what}: the server rejected the runner token (HTTP ${res.status})`, res.status);
    }
    if (res.status === 404 || res.status === 409 || res.status === 410) {
      throw new LeaseLostError(`${what}: HTTP ${res.status}: ${text.slice(0, 200)}`);
    }
    if (res.status !== 200) throw new RunnerProtocolError(`${what}: HTTP ${res.status}: ${text.slice(0, 500)}`, res.status);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new RunnerProtocolError(`${what}: response is not JSON: ${text.slice(0, 200)}`, res.status);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      throw new RunnerProtocolError(`${what}: unexpected response at ${i?.path.join(".") || "(root)"}: ${i?.message}`, res.status);
    }
    return parsed.data;
  }

  async claim(signal?: AbortSignal): Promise<ClaimedJob | null> {
    const waitSeconds = this.opts.waitSeconds ?? 25;
    const body: ClaimRequest = { capabilities: this.opts.capabilities, waitSeconds };
    const res = await this.postWithRetry(runnerPaths.claim(), body, {
      timeoutMs: (waitSeconds + 15) * 1000,
      maxAttempts: Number.POSITIVE_INFINITY,
      signal,
      what: "claim",
    });
    if (res.status === 204) {
      await res.body?.cancel();
      return null;
    }
    return (await this.expectJson(res, ClaimResponseSchema, "claim")).job;
  }

  async heartbeat(jobId: string, logLines: LogLine[]): Promise<HeartbeatResponse> {
    const res = await this.postWithRetry(runnerPaths.heartbeat(jobId), { logLines }, { timeoutMs: 15_000, maxAttempts: 3, what: "heartbeat" });
    return this.expectJson(res, HeartbeatResponseSchema, "heartbeat");
  }

  async complete(jobId: string, result: CompleteRequest): Promise<void> {
    const body = CompleteRequestSchema.parse(result);
    const res = await this.postWithRetry(runnerPaths.complete(jobId), body, {
      timeoutMs: 60_000,
      maxAttempts: this.retry.maxAttempts,
      what: "complete",
    });
    await this.expectJson(res, AckResponseSchema, "complete");
  }

  async fail(jobId: string, failure: FailRequest): Promise<void> {
    const body = FailRequestSchema.parse(failure);
    const res = await this.postWithRetry(runnerPaths.fail(jobId), body, {
      timeoutMs: 60_000,
      maxAttempts: this.retry.maxAttempts,
      what: "fail",
    });
    await this.expectJson(res, AckResponseSchema, "fail");
  }
}
