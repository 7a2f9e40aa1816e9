import { clientAddress } from "~/server/auth/client-address";
import { getCurrentUser } from "~/server/auth/session";
import { getDb } from "~/server/db";
import { answering, problem } from "~/server/http/problem";
import { liveBus } from "~/server/live/bus";
import { authorizeChannels, parseChannelList } from "~/server/live/channels";
import { acquireLiveSlot, MAX_LIVE_STREAMS_PER_CLIENT } from "~/server/live/connection-limit";
import { liveEventStream } from "~/server/live/stream";

export const dynamic = "force-dynamic";

/**
 * Live updates as Server-Sent Events: `GET /api/live?channels=user:<id>,topic:<id>`. Each channel is checked for the
 * caller (README "Live updates"); the stream then carries every event published on them until the browser leaves.
 */
export async function GET(req: Request) {
  return answering("live", async () => {
    const channels = parseChannelList(new URL(req.url).searchParams.get("channels"));
    const [db, user] = await Promise.all([getDb(), getCurrentUser()]);
    await authorizeChannels({ viewer: user, prisma: db.prisma }, channels);
    const release = acquireLiveSlot(user ? `user:${user.id}` : `address:${clientAddress(req.headers) ?? "unknown"}`);
    if (!release) {
      return problem(
        429,
        { error: `At most ${MAX_LIVE_STREAMS_PER_CLIENT} live connections at once: close some tabs of this site, and the others update again.` },
        { "Retry-After": "30" },
      );
    }
    try {
      return await liveEventStream(liveBus(db), channels, { signal: req.signal, onClose: release });
    } catch (error) {
      release();
      console.error("[live] could not subscribe:", error);
      return problem(503, { error: "Live updates are unavailable right now; the page keeps working without them." }, { "Retry-After": "5" });
    }
  });
}
