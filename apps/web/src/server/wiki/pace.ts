import type { PrismaClient } from "@course/db";
import { takeSlot, waitText } from "../auth/rate-limit";
import type { PublicUser } from "../auth/users";

/** Accounts younger than this write at a limited pace (a spam account cannot rewrite the wiki in a minute). */
export const NEW_ACCOUNT_DAYS = 3;
export const NEW_ACCOUNT_EDITS = { maxAttempts: 10, windowMinutes: 10 };

/** Takes one of a new student account's wiki edits, or refuses with TOO_MANY_REQUESTS and when to try again. */
export async function paceNewAccount(prisma: PrismaClient, user: PublicUser): Promise<void> {
  if (user.role !== "student") return;
  const account = await prisma.user.findUnique({ where: { id: user.id }, select: { createdAt: true } });
  if (!account || Date.now() - account.createdAt.getTime() > NEW_ACCOUNT_DAYS * 86_400_000) return;
  await takeSlot(prisma, `wiki-edit:${user.id}`, "wiki-edit:", NEW_ACCOUNT_EDITS, (wait) => `New accounts may save ${NEW_ACCOUNT_EDITS.maxAttempts} wiki edits in ${NEW_ACCOUNT_EDITS.windowMinutes} minutes. Try again in ${waitText(wait)}.`);
}
