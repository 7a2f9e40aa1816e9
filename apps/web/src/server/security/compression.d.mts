// Types for compression.mjs.
import type { IncomingMessage, ServerResponse } from "node:http";

export function compression(): (req: IncomingMessage, res: ServerResponse, next: () => void) => void;
