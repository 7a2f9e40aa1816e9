import type { PrismaClient } from "@course/db";
import type { PublicUser } from "../auth/users";
import { DomainError } from "../errors";
import { isModerator } from "../forum/permissions";

/** Ids in channel names: database ids (cuid, uuid), never user text, and never a comma (the list separator). */
const ID = /^[A-Za-z0-9_-]{1,64}$/;

export interface ChannelContext {
  /** Who asks (null: anonymous). */
  viewer: PublicUser | null;
  prisma: PrismaClient;
}

export interface ChannelKindSpec {
  /** For the README and error messages. */
  description: string;
  /** Resolves when the viewer may receive this channel's events; throws DomainError (UNAUTHORIZED, FORBIDDEN, NOT_FOUND) otherwise. */
  authorize(ctx: ChannelContext, id: string): Promise<void>;
}

/**
 * Every kind of live channel, `<kind>:<id>`. Adding one = an entry here, with the rule for who may read it (checked
 * on the server for each subscription), and the events that go to it in events.ts.
 */
export const LIVE_CHANNEL_KINDS = {
  user: {
    description: "one user's own changes (notifications); only that user may subscribe",
    async authorize({ viewer }, id) {
      if (!viewer) throw new DomainError("UNAUTHORIZED", "Sign in to receive your live updates.");
      if (viewer.id !== id) throw new DomainError("FORBIDDEN", "You can only receive your own live updates.");
    },
  },
  topic: {
    // Like the topic page: unlisted topics are read by their address, deleted ones by moderators only.
    description: "a forum topic's posts, edits, likes and states; anyone who may read the topic (a deleted one: graders and admins)",
    async authorize({ viewer, prisma }, id) {
      const topic = await prisma.forumTopic.findUnique({ where: { id }, select: { deletedAt: true } });
      if (!topic || (topic.deletedAt && !isModerator(viewer?.role))) throw new DomainError("NOT_FOUND", "There is no such topic.");
    },
  },
} as const satisfies Record<string, ChannelKindSpec>;

export type LiveChannelKind = keyof typeof LIVE_CHANNEL_KINDS;
/** A channel name: `user:<userId>`, `topic:<topicId>`. */
export type LiveChannel = `${LiveChannelKind}:${string}`;

export const CHANNEL_KIND_NAMES = Object.keys(LIVE_CHANNEL_KINDS) as LiveChannelKind[];

/** At most this many channels on one connection (a page needs a few). */
export const MAX_CHANNELS_PER_CONNECTION = 16;

export const userChannel = (userId: string): LiveChannel => channel("user", userId);
export const topicChannel = (topicId: string): LiveChannel => channel("topic", topicId);

function channel(kind: LiveChannelKind, id: string): LiveChannel {
  if (!ID.test(id)) throw new Error(`Live channel ids are database ids ([A-Za-z0-9_-], at most 64), got ${JSON.stringify(id)}.`);
  return `${kind}:${id}`;
}

/** A channel name from outside (a request, a NOTIFY payload): its kind and id, or BAD_REQUEST naming what is wrong. */
export function parseChannel(name: string): { channel: LiveChannel; kind: LiveChannelKind; id: string } {
  const at = name.indexOf(":");
  const kind = at === -1 ? name : name.slice(0, at);
  const id = at === -1 ? "" : name.slice(at + 1);
  if (!Object.hasOwn(LIVE_CHANNEL_KINDS, kind)) {
    throw new DomainError("BAD_REQUEST", `Unknown live channel ${JSON.stringify(name.slice(0, 80))}. Channels are <kind>:<id> with kind one of: ${CHANNEL_KIND_NAMES.join(", ")}.`);
  }
  if (!ID.test(id)) throw new DomainError("BAD_REQUEST", `The live channel ${JSON.stringify(name.slice(0, 80))} needs an id of letters, digits, "_" or "-" (at most 64).`);
  return { channel: `${kind as LiveChannelKind}:${id}`, kind: kind as LiveChannelKind, id };
}

/** `?channels=a:1,b:2`: one to MAX_CHANNELS_PER_CONNECTION distinct channels, each well formed. */
export function parseChannelList(value: string | null): LiveChannel[] {
  const names = [...new Set((value ?? "").split(",").map((s) => s.trim()).filter(Boolean))];
  if (names.length === 0) throw new DomainError("BAD_REQUEST", "Name the live channels to receive: ?channels=<kind>:<id>,...");
  if (names.length > MAX_CHANNELS_PER_CONNECTION) {
    throw new DomainError("BAD_REQUEST", `At most ${MAX_CHANNELS_PER_CONNECTION} live channels per connection, got ${names.length}.`);
  }
  return names.map((n) => parseChannel(n).channel);
}

/** Checks every channel for the viewer; the first refusal is the answer (a page asks only for what it may read). */
export async function authorizeChannels(ctx: ChannelContext, channels: readonly LiveChannel[]): Promise<void> {
  for (const name of channels) {
    const { kind, id } = parseChannel(name);
    await LIVE_CHANNEL_KINDS[kind].authorize(ctx, id);
  }
}
