import http from "node:http";
import type { AddressInfo } from "node:net";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each route declares its own params shape
type Handler = (req: Request, ctx: { params: Promise<any> }) => Promise<Response>;

/**
 * Serves Next.js route handlers (plain `Request -> Response` functions) over real HTTP, so out-of-process clients
 * such as the runner CLI can talk to our real API code in a test process that owns the database.
 */
export async function serveRoutes(routes: { pattern: RegExp; handler: Handler }[]) {
  const server = http.createServer(async (incoming, outgoing) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const url = new URL(incoming.url ?? "/", "http://127.0.0.1");
    const route = routes.map((r) => ({ r, m: r.pattern.exec(url.pathname) })).find((x) => x.m);
    if (!route?.m) {
      outgoing.writeHead(404).end();
      return;
    }
    const controller = new AbortController();
    incoming.on("close", () => controller.abort());
    const request = new Request(url, {
      method: incoming.method,
      headers: incoming.headers as Record<string, string>,
      body: incoming.method === "GET" || incoming.method === "HEAD" ? undefined : Buffer.concat(chunks),
      signal: controller.signal,
    });
    const response = await route.r.handler(request, { params: Promise.resolve(route.m.groups ?? {}) });
    outgoing.writeHead(response.status, Object.fromEntries(response.headers));
    outgoing.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
