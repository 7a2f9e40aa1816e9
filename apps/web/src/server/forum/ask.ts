import { formatTime } from "@course/content";
import { z } from "zod";
import { ASK_QUOTE_MAX } from "~/lib/ask-moment";

type Query = Record<string, string | string[] | undefined>;

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** A video is at most a day long; anything else in `t` is not a moment of a lesson. */
const askSchema = z.object({
  ask: z.literal("1"),
  t: z.coerce.number().int().min(0).max(86_400),
  quote: z
    .string()
    .max(ASK_QUOTE_MAX * 2)
    .optional()
    // eslint-disable-next-line no-control-regex -- control characters are exactly what a transcript line may not carry
    .transform((q) => q?.replace(/[\u0000-\u001f\u007f]+/g, " ").replace(/\s+/g, " ").trim().slice(0, ASK_QUOTE_MAX) || undefined),
});

export type AskMoment = { seconds: number; quote?: string };

/** The `?ask=1&t=280&quote=…` of an "Ask about this moment" link, or null when it is absent or malformed. */
export function parseAskMoment(query: Query): AskMoment | null {
  const parsed = askSchema.safeParse({ ask: one(query.ask), t: one(query.t), quote: one(query.quote) });
  if (!parsed.success) return null;
  return parsed.data.quote ? { seconds: parsed.data.t, quote: parsed.data.quote } : { seconds: parsed.data.t };
}

/** The query that carries an ask through sign-in and the `/forum/l/<thread>` redirect. */
export function askQuery(ask: AskMoment): string {
  const params = new URLSearchParams({ ask: "1", t: String(ask.seconds) });
  if (ask.quote) params.set("quote", ask.quote);
  return params.toString();
}

/**
 * The reply an ask opens with: the time link (`[[Lesson N@m:ss]]`, which works in any category, so a moved topic
 * keeps it) and the transcript line quoted. It is only ever put in the composer's textarea and rendered through the
 * markdown pipeline when posted, so the line needs no escaping beyond keeping it on one quoted line.
 */
export function askPrefill(ask: AskMoment, lessonNumber: number): string {
  const link = `[[Lesson ${lessonNumber}@${formatTime(ask.seconds)}]]`;
  return ask.quote ? `At ${link}:\n\n> ${ask.quote}\n\n` : `At ${link}: `;
}
