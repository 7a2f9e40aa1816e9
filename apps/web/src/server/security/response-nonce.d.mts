// Types for response-nonce.mjs (plain JavaScript so that server.mjs loads it without a build step).
import type { IncomingMessage, ServerResponse } from "node:http";

export function newPlaceholder(): string;
export function nonceRewriter(placeholder: string, nonce: string): { push(chunk: Buffer): Buffer; finish(): Buffer };
export function applyResponseNonce(req: IncomingMessage, res: ServerResponse, options: { placeholder: string; policy?: (nonce: string) => string }): string;
export function toBuffer(chunk: unknown, encoding?: unknown): Buffer;
