// Types for anonymous-page-cache.mjs.
import type { IncomingMessage, ServerResponse } from "node:http";

export function isAnonymousPageRequest(req: Pick<IncomingMessage, "method" | "headers">): boolean;
export function anonymousPageCache(options?: { maxEntries?: number }): {
  serve(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  handle<T>(req: IncomingMessage, res: ServerResponse, next: () => T): T;
  size(): number;
};
