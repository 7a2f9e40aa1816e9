// Types for csp.mjs (plain JavaScript so that server.mjs loads it without a build step).
export const DEFAULT_YOUTUBE_API_URL: string;
export function newNonce(): string;
export function youtubeScriptOrigin(apiUrl?: string): string | undefined;
export function contentSecurityPolicy(options: { nonce: string; dev?: boolean; apiUrl?: string }): string;
