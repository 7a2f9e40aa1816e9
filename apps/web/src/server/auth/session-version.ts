import type { PrismaClient } from "@course/db";

/**
 * Sessions are stateless next-auth JWTs (30 days). Each carries the account's `sessionVersion` from sign-in, and
 * every request compares it with the database (session.ts): bumping the version ends every session at once.
 */
export const SESSION_VERSION_CLAIM = "sv";

/** What our session callback puts in next-auth's `session.user`. */
export interface SessionUser {
  id?: string;
  sessionVersion?: number;
}

/**
 * Ends every session of the account: on sign-out, "sign out everywhere", a password change and a demotion. With
 * `fromVersion`, only when that is still the current version: an already-ended session cannot end the new ones.
 */
export async function endAllSessions(prisma: Pick<PrismaClient, "user">, userId: string, fromVersion?: number): Promise<void> {
  await prisma.user.updateMany({
    where: { id: userId, ...(fromVersion === undefined ? {} : { sessionVersion: fromVersion }) },
    data: { sessionVersion: { increment: 1 } },
  });
}
