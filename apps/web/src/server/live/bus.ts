import type { Database, Unlisten } from "@course/db";
import type { LiveChannel } from "./channels";
import { decodeLiveMessage, LIVE_NOTIFY_CHANNEL, type LiveMessage } from "./publish";

export interface LiveSubscriber {
  onMessage(message: LiveMessage): void;
  /**
   * This instance's connection to the database was lost and is back: events may have been missed, so re-read what
   * is shown. (Never on the embedded database.)
   */
  onResync?(): void;
}

/**
 * This web instance's side of live updates: one LISTEN on the database (started by the first subscriber, kept while
 * the database is open) fanned out to in-process subscribers by live channel. On PostgreSQL every instance has its
 * own bus and gets every instance's events; on PGlite the one process is the only instance.
 */
export class LiveBus {
  readonly #listen: Database["listen"];
  readonly #byChannel = new Map<LiveChannel, Set<LiveSubscriber>>();
  readonly #all = new Set<LiveSubscriber>();
  #listening: Promise<Unlisten> | null = null;

  constructor(listen: Database["listen"]) {
    this.#listen = listen;
  }

  /** Subscribers now (for tests and diagnostics). */
  get subscriberCount(): number {
    return this.#all.size;
  }

  /**
   * Delivers events published on `channels` to `subscriber` until the returned function is called. Resolves once
   * the database listens (events committed after that arrive); rejects when it cannot (the database is unreachable).
   */
  async subscribe(channels: readonly LiveChannel[], subscriber: LiveSubscriber): Promise<() => void> {
    await this.#start();
    this.#all.add(subscriber);
    for (const channel of channels) {
      let set = this.#byChannel.get(channel);
      if (!set) this.#byChannel.set(channel, (set = new Set()));
      set.add(subscriber);
    }
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.#all.delete(subscriber);
      for (const channel of channels) {
        const set = this.#byChannel.get(channel);
        set?.delete(subscriber);
        if (set?.size === 0) this.#byChannel.delete(channel);
      }
    };
  }

  #start(): Promise<Unlisten> {
    this.#listening ??= this.#listen(LIVE_NOTIFY_CHANNEL, (payload) => this.#deliver(payload), { onReconnect: () => this.#resync() }).catch(
      (error: unknown) => {
        // The next subscriber tries again.
        this.#listening = null;
        throw error;
      },
    );
    return this.#listening;
  }

  #deliver(payload: string) {
    const message = decodeLiveMessage(payload);
    if (!message) return;
    for (const subscriber of this.#byChannel.get(message.channel) ?? []) {
      try {
        subscriber.onMessage(message);
      } catch (error) {
        console.error("[live] a subscriber failed:", error);
      }
    }
  }

  #resync() {
    for (const subscriber of this.#all) {
      try {
        subscriber.onResync?.();
      } catch (error) {
        console.error("[live] a subscriber failed to resync:", error);
      }
    }
  }
}

const buses = new WeakMap<Database, LiveBus>();

/** The bus of this database handle (the process's own, from getDb(), in the app). */
export function liveBus(db: Database): LiveBus {
  let bus = buses.get(db);
  if (!bus) buses.set(db, (bus = new LiveBus(db.listen)));
  return bus;
}
