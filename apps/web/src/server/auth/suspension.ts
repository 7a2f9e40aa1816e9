import { formatUtc } from "../../lib/format";

/**
 * A suspended account (the forum's moderation, issue 12) may not sign in until its date: sign-in answers with this
 * message, and a session still open when the suspension began counts as signed out (session.ts). Null when the
 * account is not suspended now.
 */
export function suspensionMessage(user: { suspendedUntil: Date | null; suspendReason: string }, now = new Date()): string | null {
  if (!user.suspendedUntil || user.suspendedUntil <= now) return null;
  return `This account is suspended until ${formatUtc(user.suspendedUntil)}.${user.suspendReason ? ` Reason: ${user.suspendReason}` : ""}`;
}
