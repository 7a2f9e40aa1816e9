import { lessonThreadPath } from "~/server/forum/paths";

/** The longest transcript line an "Ask about this moment" link carries (cues are a sentence or two). */
export const ASK_QUOTE_MAX = 500;

/**
 * "Ask about this moment": the lesson's thread opened with its reply composer prefilled (README "Forum"). Only the
 * second and the transcript line travel; the topic page turns them into text on the server (askPrefill).
 */
export function askMomentPath(forumThread: string, seconds: number, quote?: string): string {
  const params = new URLSearchParams({ ask: "1", t: String(Math.max(0, Math.floor(seconds))) });
  const line = quote?.replace(/\s+/g, " ").trim().slice(0, ASK_QUOTE_MAX);
  if (line) params.set("quote", line);
  return `${lessonThreadPath(forumThread)}?${params.toString()}`;
}
