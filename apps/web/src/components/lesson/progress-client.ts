import superjson from "superjson";

/**
 * Calls a `progress.*` mutation over the tRPC HTTP endpoint. A plain fetch (not the React Query client) so the
 * last save can use `keepalive` and still arrive when the page is being hidden or unloaded.
 */
export async function callProgress(procedure: "open" | "save", input: Record<string, unknown>, options: { keepalive?: boolean } = {}): Promise<boolean> {
  try {
    const response = await fetch(`/api/trpc/progress.${procedure}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(superjson.serialize(input)),
      credentials: "same-origin",
      keepalive: options.keepalive ?? false,
    });
    return response.ok;
  } catch {
    return false;
  }
}
