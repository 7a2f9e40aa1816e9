import type { LiveBus } from "./bus";
import type { LiveChannel } from "./channels";

export interface LiveStreamOptions {
  /** The request's signal: the stream ends when the browser goes away. */
  signal?: AbortSignal;
  /** A comment line this often keeps proxies and the browser from timing the connection out. */
  heartbeatMs?: number;
  /**
   * The stream ends after about this long and the browser reconnects (EventSource does it by itself), so that
   * permissions are checked again and connections spread over instances after a deploy.
   */
  maxAgeMs?: number;
  /** Runs once when the stream ends, however it ends (the caller's connection slot goes back). */
  onClose?: () => void;
}

/** More than this queued for a browser that does not read: it is dropped, and resyncs when it reconnects. */
const MAX_QUEUED_BYTES = 256 * 1024;

export const LIVE_STREAM_HEADERS = {
  "Content-Type": "text/event-stream; charset=utf-8",
  // no-transform: our compression (server.mjs) and proxies must pass each event on as it comes, not buffer it.
  "Cache-Control": "no-store, no-transform",
  "X-Accel-Buffering": "no",
} as const;

/**
 * The Server-Sent Events response for a subscription the caller has authorized. The stream says:
 * `retry:` (reconnect delay, jittered per connection), `event: ready` once subscribed (events committed from then on
 * arrive), then one `data:` line per event (`{"channel","event"}`), `event: resync` when this instance may have missed
 * events, and `: ping` comments. Rejects when the bus cannot listen (the caller answers 503).
 */
export async function liveEventStream(bus: LiveBus, channels: readonly LiveChannel[], options: LiveStreamOptions = {}): Promise<Response> {
  const { signal, heartbeatMs = 15_000, maxAgeMs = 5 * 60_000, onClose } = options;
  const encoder = new TextEncoder();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let closed = false;
  const timers: NodeJS.Timeout[] = [];
  // Nothing can end the stream before the subscription exists: the response is not returned yet.
  const subscription: { end?: () => void } = {};

  const close = () => {
    if (closed) return;
    closed = true;
    onClose?.();
    for (const t of timers) clearInterval(t);
    subscription.end?.();
    signal?.removeEventListener("abort", close);
    try {
      controller.close();
    } catch {
      // already closed or errored by the reader
    }
  };
  const send = (text: string) => {
    if (closed) return;
    if ((controller.desiredSize ?? 0) < -MAX_QUEUED_BYTES) return close();
    controller.enqueue(encoder.encode(text));
  };

  const body = new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
      },
      cancel: close,
    },
    new ByteLengthQueuingStrategy({ highWaterMark: 16 * 1024 }),
  );

  subscription.end = await bus.subscribe(channels, {
    onMessage: (message) => send(`data: ${JSON.stringify(message)}\n\n`),
    onResync: () => send("event: resync\ndata: {}\n\n"),
  });
  if (signal?.aborted) close();
  signal?.addEventListener("abort", close);

  send(`retry: ${1000 + Math.floor(Math.random() * 2000)}\n\n`);
  send(`event: ready\ndata: ${JSON.stringify({ channels })}\n\n`);
  const beat = setInterval(() => send(": ping\n\n"), heartbeatMs);
  timers.push(beat, setTimeout(close, maxAgeMs * (0.9 + Math.random() * 0.2)));
  for (const t of timers) t.unref?.();
  return new Response(body, { headers: LIVE_STREAM_HEADERS });
}
