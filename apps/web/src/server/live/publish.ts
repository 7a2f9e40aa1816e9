import type { Prisma } from "@course/db";
import { parseChannel, type LiveChannel } from "./channels";
import { channelKindsOf, parseLiveEvent, type LiveEvent } from "./events";

/** The one PostgreSQL NOTIFY channel every live event travels on; the payload names the live channel. */
export const LIVE_NOTIFY_CHANNEL = "course_live";

/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more; ours are ids and stay far below. */
export const MAX_LIVE_PAYLOAD_BYTES = 7900;

/** What publish() needs: the transaction of the write (or the client itself, for a write outside one). */
export type PublishClient = Pick<Prisma.TransactionClient, "$executeRaw">;

export interface LiveMessage {
  channel: LiveChannel;
  event: LiveEvent;
}

/** The NOTIFY payload: short keys, since every byte travels to every web instance. */
export function encodeLiveMessage({ channel, event }: LiveMessage): string {
  let kind: string;
  try {
    kind = parseChannel(channel).kind;
  } catch (error) {
    throw new Error(`publish(): ${(error as Error).message}`, { cause: error });
  }
  const checked = parseLiveEvent(event);
  if (!checked) throw new Error(`publish(): ${JSON.stringify(event).slice(0, 200)} is not a live event of a known type with exactly its fields (server/live/events.ts).`);
  if (!channelKindsOf(checked.type).some((k) => k === kind)) {
    throw new Error(`publish(): "${checked.type}" events go to ${channelKindsOf(checked.type).join(", ")} channels, not to ${channel}.`);
  }
  const payload = JSON.stringify({ c: channel, e: checked });
  if (Buffer.byteLength(payload) > MAX_LIVE_PAYLOAD_BYTES) throw new Error(`publish(): the event is ${Buffer.byteLength(payload)} bytes; live events carry ids, at most ${MAX_LIVE_PAYLOAD_BYTES} bytes.`);
  return payload;
}

/** The message in a NOTIFY payload, or null for anything else (an older or newer version's event is skipped). */
export function decodeLiveMessage(payload: string): LiveMessage | null {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  const { c, e } = value as { c?: unknown; e?: unknown };
  if (typeof c !== "string") return null;
  let channel: LiveChannel;
  try {
    channel = parseChannel(c).channel;
  } catch {
    return null;
  }
  const event = parseLiveEvent(e);
  return event ? { channel, event } : null;
}

/**
 * Sends a live event to everyone subscribed to `channel`, on every web instance. Call it inside the transaction of the
 * write it reports: PostgreSQL (and PGlite) deliver it only when that transaction commits, and never when it rolls
 * back, so a browser that refetches on the event reads the committed change.
 */
export async function publish(tx: PublishClient, channel: LiveChannel, event: LiveEvent): Promise<void> {
  await publishMany(tx, [{ channel, event }]);
}

/** Several events in one statement (e.g. one per recipient). Identical messages in one transaction arrive once. */
export async function publishMany(tx: PublishClient, messages: readonly LiveMessage[]): Promise<void> {
  if (messages.length === 0) return;
  const payloads = messages.map(encodeLiveMessage);
  await tx.$executeRaw`SELECT pg_notify(${LIVE_NOTIFY_CHANNEL}, payload) FROM unnest(${payloads}::text[]) AS payload`;
}
