/**
 * How many live streams one client may hold open on this instance: a signed-in user by id, an anonymous visitor by
 * address. Each open tab holds one (a hidden tab lets go after a minute), so a person never meets the limit; a
 * script that opens streams in a loop does, and cannot tie up the instance's connections.
 */
export const MAX_LIVE_STREAMS_PER_CLIENT = 16;

const open = new Map<string, number>();

/** A slot for `client`, with the function that gives it back (once), or null when the client holds the maximum. */
export function acquireLiveSlot(client: string, max = MAX_LIVE_STREAMS_PER_CLIENT): (() => void) | null {
  const held = open.get(client) ?? 0;
  if (held >= max) return null;
  open.set(client, held + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const now = (open.get(client) ?? 1) - 1;
    if (now <= 0) open.delete(client);
    else open.set(client, now);
  };
}

/** Streams held now by `client` (for tests and the operations page). */
export const liveSlotsHeld = (client: string): number => open.get(client) ?? 0;
