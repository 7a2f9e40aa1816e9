// Types for server.mjs (plain JavaScript so that `npm start` runs it without a compile step).
import type { IncomingMessage, Server } from "node:http";

export const CLIENT_ADDRESS_HEADER: string;
export function parseTrustedProxyHops(value: string | undefined): number;
export function clientAddress(req: Pick<IncomingMessage, "headers" | "socket">, hops: number): string | undefined;
export function markClientAddress(req: Pick<IncomingMessage, "headers" | "socket">, hops: number): void;
export function startWebServer(options: { dir: string; port: number; hops: number }): Promise<Server>;
