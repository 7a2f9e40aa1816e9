/** A fake web app implementing the runner protocol in memory, checking bodies with the shared schemas. */
import http from "node:http";
import type net from "node:net";
import {
  ClaimRequestSchema,
  CompleteRequestSchema,
  FailRequestSchema,
  HeartbeatRequestSchema,
  type ClaimedJob,
  type CompleteRequest,
  type FailRequest,
  type LogLine,
} from "../src/protocol";

export const TOKEN = "test-runner-token";

export interface FakeServerState {
  queue: ClaimedJob[];
  claims: number;
  heartbeats: { jobId: string; lines: LogLine[] }[];
  completes: { jobId: string; body: CompleteRequest }[];
  fails: { jobId: string; body: FailRequest }[];
  badBodies: string[];
  unauthorized: number;
  /** Status codes to answer the next complete calls with, before succeeding. */
  completeErrors: number[];
  heartbeatReply: (jobId: string) => { status: number; body?: unknown };
}

export function fakeServer(state: FakeServerState): http.Server {
  return http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c: Buffer) => (raw += c.toString()));
    req.on("end", () => {
      const send = (status: number, body?: unknown) => {
        res.writeHead(status, body === undefined ? {} : { "content-type": "application/json" });
        res.end(body === undefined ? undefined : JSON.stringify(body));
      };
      if (req.headers.authorization !== `Bearer ${TOKEN}`) {
        state.unauthorized++;
        return send(401, { error: "bad token" });
      }
      const body: unknown = raw ? JSON.parse(raw) : null;
      const url = req.url ?? "";
      const check = (schema: { safeParse: (v: unknown) => { success: boolean } }) => {
        if (!schema.safeParse(body).success) state.badBodies.push(`${url}: ${raw.slice(0, 200)}`);
      };
      if (url === "/api/runner/claim") {
        check(ClaimRequestSchema);
        state.claims++;
        const job = state.queue.shift();
        // A real server long-polls; answer quickly here.
        return job ? send(200, { job }) : setTimeout(() => send(204), 50);
      }
      const m = /^\/api\/runner\/jobs\/([^/]+)\/(heartbeat|complete|fail)$/.exec(url);
      if (!m) return send(404, { error: "no route" });
      const jobId = decodeURIComponent(m[1] as string);
      if (m[2] === "heartbeat") {
        check(HeartbeatRequestSchema);
        state.heartbeats.push({ jobId, lines: (body as { logLines: LogLine[] }).logLines });
        const r = state.heartbeatReply(jobId);
        return send(r.status, r.body);
      }
      if (m[2] === "complete") {
        check(CompleteRequestSchema);
        const err = state.completeErrors.shift();
        if (err) return send(err, { error: "try later" });
        if (!state.completes.some((c) => c.jobId === jobId)) state.completes.push({ jobId, body: CompleteRequestSchema.parse(body) });
        return send(200, { ok: true });
      }
      check(FailRequestSchema);
      state.fails.push({ jobId, body: FailRequestSchema.parse(body) });
      return send(200, { ok: true });
    });
  });
}

export function newState(): FakeServerState {
  return {
    queue: [],
    claims: 0,
    heartbeats: [],
    completes: [],
    fails: [],
    badBodies: [],
    unauthorized: 0,
    completeErrors: [],
    heartbeatReply: () => ({ status: 200, body: { leaseExpiresAt: new Date(Date.now() + 60_000).toISOString() } }),
  };
}

export const listen = (server: http.Server, port = 0) =>
  new Promise<number>((resolve) => server.listen(port, "127.0.0.1", () => resolve((server.address() as net.AddressInfo).port)));
export const close = (server: http.Server) => new Promise<void>((resolve) => server.close(() => resolve()));

export function job(id: string, nb: string, benchmarkId = "dogscats"): ClaimedJob {
  return { id, attempt: 1, benchmarkId, notebook: nb, leaseSeconds: 60 };
}

