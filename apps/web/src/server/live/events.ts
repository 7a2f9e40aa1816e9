import { z } from "zod";
import type { LiveChannelKind } from "./channels";

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const postNumber = z.number().int().positive();

interface EventSpec {
  /** The channel kinds this event may be published on. */
  channels: readonly LiveChannelKind[];
  /** The event's fields besides `type`: ids and numbers only, never user text (a reader refetches what it shows). */
  data: z.ZodObject;
}

/**
 * Every kind of live event. An event says that something changed and where (ids), not what it now says: browsers
 * refetch through the usual reads, which check permissions. Adding one = an entry here; publish() then accepts it.
 */
export const LIVE_EVENTS = {
  /** The user's notifications changed (one was created): refetch the unread count or the list. */
  "notifications-changed": { channels: ["user"], data: z.strictObject({}) },
  /** For the forum: a topic this member tracks or watches has a new post; refetch unread counts. */
  "forum-unread-changed": { channels: ["user"], data: z.strictObject({ topicId: id }) },
  /** For the forum: a reply was added to the topic. */
  "post-created": { channels: ["topic"], data: z.strictObject({ topicId: id, postId: id, number: postNumber }) },
  /** For the forum: a post changed (edited, liked, deleted, restored, hidden, marked solved). */
  "post-updated": {
    channels: ["topic"],
    data: z.strictObject({ topicId: id, postId: id, number: postNumber, change: z.enum(["edited", "liked", "deleted", "restored", "hidden", "solved"]) }),
  },
  /** For the forum: the topic itself changed (title, state: pinned, closed, archived, unlisted). */
  "topic-updated": { channels: ["topic"], data: z.strictObject({ topicId: id }) },
} as const satisfies Record<string, EventSpec>;

export type LiveEventType = keyof typeof LIVE_EVENTS;

/** zod types an empty strict object as an index signature of never; an event without fields has none instead. */
type Fields<D> = string extends keyof D ? Record<never, never> : D;

/** One event: `{ type, ...its fields }`. */
export type LiveEvent = { [K in LiveEventType]: { type: K } & Fields<z.infer<(typeof LIVE_EVENTS)[K]["data"]>> }[LiveEventType];
export type LiveEventOf<K extends LiveEventType> = Extract<LiveEvent, { type: K }>;

export const LIVE_EVENT_TYPES = Object.keys(LIVE_EVENTS) as LiveEventType[];

function isLiveEventType(value: unknown): value is LiveEventType {
  return typeof value === "string" && Object.hasOwn(LIVE_EVENTS, value);
}

/** An event from outside the type system (a NOTIFY payload, a caller in plain JavaScript), checked; null when it is not one. */
export function parseLiveEvent(value: unknown): LiveEvent | null {
  if (typeof value !== "object" || value === null) return null;
  const { type, ...data } = value as Record<string, unknown>;
  if (!isLiveEventType(type)) return null;
  const parsed = LIVE_EVENTS[type].data.safeParse(data);
  return parsed.success ? ({ type, ...parsed.data } as LiveEvent) : null;
}

/** The channel kinds an event type may go to. */
export function channelKindsOf(type: LiveEventType): readonly LiveChannelKind[] {
  return LIVE_EVENTS[type].channels;
}
