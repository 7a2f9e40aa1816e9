import type { PrismaClient } from "@course/db";

export interface RateLimitPolicy {
  maxAttempts: number;
  windowMinutes: number;
}

export class RateLimitedError extends Error {
  constructor(readonly retryAfterMinutes: number) {
    super(`Too many sign-in attempts. Try again in ${retryAfterMinutes} minute${retryAfterMinutes === 1 ? "" : "s"}.`);
    this.name = "RateLimitedError";
  }
}

// An IP may fail more often than one email (several people behind one NAT), but not without bound.
const IP_FACTOR = 6;

export function signInKeys(email: string, ip: string | undefined): { emailKey: string; ipKey: string | undefined } {
  return { emailKey: `email:${email.trim().toLowerCase()}`, ipKey: ip ? `ip:${ip}` : undefined };
}

/** Throws RateLimitedError when the email or the IP has failed too often in the window. */
export async function assertNotRateLimited(prisma: PrismaClient, keys: string[], policy: RateLimitPolicy, now = new Date()) {
  const since = new Date(now.getTime() - policy.windowMinutes * 60_000);
  for (const key of keys) {
    const limit = key.startsWith("ip:") ? policy.maxAttempts * IP_FACTOR : policy.maxAttempts;
    const recent = await prisma.signInAttempt.findMany({
      where: { key, createdAt: { gt: since } },
      orderBy: { createdAt: "asc" },
      select: { createdAt: true },
      take: limit,
    });
    if (recent.length >= limit) {
      const oldest = recent[0]!.createdAt.getTime();
      const freeAt = oldest + policy.windowMinutes * 60_000;
      throw new RateLimitedError(Math.max(1, Math.ceil((freeAt - now.getTime()) / 60_000)));
    }
  }
}

export async function recordFailedSignIn(prisma: PrismaClient, keys: string[], policy: RateLimitPolicy, now = new Date()) {
  await prisma.signInAttempt.createMany({ data: keys.map((key) => ({ key, createdAt: now })) });
  // Keep the table small: anything older than the window no longer counts.
  await prisma.signInAttempt.deleteMany({ where: { createdAt: { lt: new Date(now.getTime() - policy.windowMinutes * 60_000) } } });
}

export async function clearFailedSignIns(prisma: PrismaClient, emailKey: string) {
  await prisma.signInAttempt.deleteMany({ where: { key: emailKey } });
}
