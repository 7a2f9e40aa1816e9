import type { PGlite } from "@electric-sql/pglite";
import pg from "pg";

export interface ListenOptions {
  /**
   * Called after the listening connection was lost and is back: notifications sent meanwhile were missed, so a
   * subscriber should re-read what it shows. Never called on PGlite (the listener lives in the database's process).
   */
  onReconnect?: () => void;
}

/** Stops this one subscription (the channel is unlistened once nobody listens to it any more). */
export type Unlisten = () => Promise<void>;

export type Listen = (channel: string, onPayload: (payload: string) => void, options?: ListenOptions) => Promise<Unlisten>;

/** Channel names are SQL identifiers we write ourselves: lower-case, so no quoting rule can surprise us. */
const CHANNEL_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function assertChannelName(channel: string): void {
  if (!CHANNEL_NAME.test(channel)) throw new Error(`Notification channel names are lower-case SQL identifiers (a-z, 0-9, _), got "${channel}".`);
}

/** A callback that throws must not stop the others, nor reach the driver's event loop. */
function safely(fn: () => void, log: (line: string) => void) {
  try {
    fn();
  } catch (error) {
    log(`a notification subscriber failed: ${(error as Error).stack ?? String(error)}`);
  }
}

/** PGlite delivers a committed NOTIFY to its own LISTENers, in this process: no connection to keep. */
export function pgliteListen(client: PGlite, log: (line: string) => void): Listen {
  return async (channel, onPayload) => {
    assertChannelName(channel);
    const unlisten = await client.listen(channel, (payload) => safely(() => onPayload(payload), log));
    return async () => {
      // Closing the database drops every listener anyway; a late unsubscribe must not throw on a closed instance.
      if (!client.closed) await unlisten();
    };
  };
}

interface Subscriber {
  onPayload: (payload: string) => void;
  onReconnect?: () => void;
}

export interface PgListenerOptions {
  /** First delay before reconnecting; doubles per failed attempt up to maxBackoffMs (with jitter). */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** How often the idle connection is checked with a query (a dead peer can otherwise go unnoticed for minutes). */
  pingIntervalMs?: number;
  log?: (line: string) => void;
}

/**
 * One dedicated PostgreSQL connection per process that LISTENs to every channel someone subscribed to (a pooled
 * connection cannot: LISTEN belongs to the session, and the pool hands sessions to others). When the connection is
 * lost it reconnects with exponential backoff, LISTENs again, and tells subscribers they may have missed something.
 */
export class PgListener {
  readonly #url: string;
  readonly #minBackoffMs: number;
  readonly #maxBackoffMs: number;
  readonly #pingIntervalMs: number;
  readonly #log: (line: string) => void;
  readonly #subscribers = new Map<string, Set<Subscriber>>();
  #client: pg.Client | null = null;
  #connecting: Promise<pg.Client> | null = null;
  /** Set from losing the connection until it is back. */
  #reconnecting = false;
  #retry: NodeJS.Timeout | null = null;
  #ping: NodeJS.Timeout | null = null;
  #attempt = 0;
  #closed = false;

  constructor(url: string, options: PgListenerOptions = {}) {
    this.#url = url;
    this.#minBackoffMs = options.minBackoffMs ?? 250;
    this.#maxBackoffMs = options.maxBackoffMs ?? 10_000;
    this.#pingIntervalMs = options.pingIntervalMs ?? 30_000;
    this.#log = options.log ?? ((line) => console.warn(`[db] ${line}`));
  }

  /** Whether the LISTEN connection is up now (for tests and health checks). */
  get connected(): boolean {
    return this.#client !== null;
  }

  /** The backend process id of the LISTEN connection, or null while it is down (tests terminate it to simulate loss). */
  get backendPid(): number | null {
    return (this.#client as unknown as { processID?: number } | null)?.processID ?? null;
  }

  /**
   * Subscribes to `channel`. Resolves once the channel is listened to; the first connection's failure rejects (the
   * caller can answer "try again"). While a lost connection is being re-established it resolves at once: the
   * subscriber's onReconnect runs when the connection is back.
   */
  readonly listen: Listen = async (channel, onPayload, options = {}) => {
    assertChannelName(channel);
    if (this.#closed) throw new Error("The database is closed.");
    const subscriber: Subscriber = { onPayload, onReconnect: options.onReconnect };
    let set = this.#subscribers.get(channel);
    const first = !set;
    if (!set) this.#subscribers.set(channel, (set = new Set()));
    set.add(subscriber);
    try {
      const client = this.#client ?? (this.#reconnecting ? null : await (this.#connecting ??= this.#connectFirst()));
      // A connection made after we registered LISTENs to our channel itself; one made before needs telling.
      if (client && first) await client.query(`LISTEN ${channel}`);
    } catch (error) {
      this.#remove(channel, set, subscriber);
      throw error;
    }
    return async () => {
      if (this.#remove(channel, set, subscriber)) await this.#client?.query(`UNLISTEN ${channel}`).catch(() => undefined);
    };
  };

  /** Ends the connection and every retry; subscriptions are dropped. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#retry) clearTimeout(this.#retry);
    this.#retry = null;
    this.#stopPing();
    this.#subscribers.clear();
    // A connection still being made sees #closed when it is ready, and ends itself.
    const client = this.#client;
    this.#client = null;
    await client?.end().catch(() => undefined);
  }

  /** Returns true when nobody listens to the channel any more. */
  #remove(channel: string, set: Set<Subscriber>, subscriber: Subscriber): boolean {
    set.delete(subscriber);
    if (set.size > 0 || this.#subscribers.get(channel) !== set) return false;
    this.#subscribers.delete(channel);
    return true;
  }

  async #connectFirst(): Promise<pg.Client> {
    try {
      return await this.#connect();
    } finally {
      this.#connecting = null;
    }
  }

  async #connect(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: this.#url, keepAlive: true, application_name: "course-live-listener" });
    client.on("notification", (message) => {
      if (client !== this.#client) return;
      for (const s of this.#subscribers.get(message.channel) ?? []) safely(() => s.onPayload(message.payload ?? ""), this.#log);
    });
    // Without an "error" listener a dropped connection would crash the process.
    client.on("error", (error) => this.#lost(client, error));
    client.on("end", () => this.#lost(client));
    try {
      await client.connect();
      for (const channel of this.#subscribers.keys()) await client.query(`LISTEN ${channel}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.#closed) {
      await client.end().catch(() => undefined);
      throw new Error("The database is closed.");
    }
    this.#client = client;
    this.#startPing(client);
    return client;
  }

  #lost(client: pg.Client, error?: Error) {
    if (client !== this.#client) return;
    this.#client = null;
    this.#stopPing();
    client.end().catch(() => undefined);
    if (this.#closed) return;
    this.#log(`the notification listener lost its connection${error ? ` (${error.message})` : ""}; reconnecting`);
    this.#reconnecting = true;
    this.#scheduleReconnect();
  }

  #scheduleReconnect() {
    const base = Math.min(this.#maxBackoffMs, this.#minBackoffMs * 2 ** this.#attempt);
    const delay = base / 2 + Math.random() * (base / 2);
    this.#attempt++;
    this.#retry = setTimeout(() => {
      this.#retry = null;
      this.#connect().then(
        () => {
          this.#reconnecting = false;
          this.#attempt = 0;
          this.#log("the notification listener is connected again");
          for (const set of this.#subscribers.values()) for (const s of set) if (s.onReconnect) safely(s.onReconnect, this.#log);
        },
        (error: unknown) => {
          if (this.#closed) return;
          this.#log(`the notification listener could not reconnect (${(error as Error).message}); trying again`);
          this.#scheduleReconnect();
        },
      );
    }, delay);
  }

  #startPing(client: pg.Client) {
    this.#stopPing();
    this.#ping = setInterval(() => {
      const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error("no answer to a ping in 10 s")), 10_000).unref());
      Promise.race([client.query("SELECT 1"), timeout]).catch((error: unknown) => this.#lost(client, error as Error));
    }, this.#pingIntervalMs);
    this.#ping.unref();
  }

  #stopPing() {
    if (this.#ping) clearInterval(this.#ping);
    this.#ping = null;
  }
}
