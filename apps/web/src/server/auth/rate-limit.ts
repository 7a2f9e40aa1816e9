import type { PrismaClient } from "@course/db";

export interface RateLimitPolicy {
  maxAttempts: number;
  windowMinutes: number;
}

const minutes = (n: number) => `${n} minute${n === 1 ? "" : "s"}`;

export class RateLimitedError extends Error {
  constructor(
    readonly retryAfterMinutes: number,
    message = `Too many sign-in attempts. Try again in ${minutes(retryAfterMinutes)}.`,
  ) {
    super(message);
    this.name = "RateLimitedError";
  }
}

// An IP may fail more often than one email (several people behind one NAT), but not without bound.
const IP_FACTOR = 6;

export function signInKeys(email: string, ip: string | undefined): { emailKey: string; ipKey: string | undefined } {
  return { emailKey: `email:${email.trim().toLowerCase()}`, ipKey: ip ? `ip:${ip}` : undefined };
}

/**
 * Minutes until `key` is under `limit` events in the window again, or undefined when it is under it now. Events are
 * rows of SignInAttempt (one table for every limit, so it holds across web instances sharing the database).
 */
async function minutesUntilFree(prisma: PrismaClient, key: string, limit: number, windowMinutes: number, now: Date) {
  const since = new Date(now.getTime() - windowMinutes * 60_000);
  const recent = await prisma.signInAttempt.findMany({
    where: { key, createdAt: { gt: since } },
    orderBy: { createdAt: "asc" },
    select: { createdAt: true },
    take: limit,
  });
  if (recent.length < limit) return undefined;
  const freeAt = recent[0]!.createdAt.getTime() + windowMinutes * 60_000;
  return Math.max(1, Math.ceil((freeAt - now.getTime()) / 60_000));
}

/** Records one event per key, and forgets this namespace's events older than its window. */
async function record(prisma: PrismaClient, keys: string[], prefixes: string[], windowMinutes: number, now: Date) {
  await prisma.signInAttempt.createMany({ data: keys.map((key) => ({ key, createdAt: now })) });
  // Keep the table small, but only within this namespace: other limits have their own (longer) windows.
  await prisma.signInAttempt.deleteMany({
    where: { createdAt: { lt: new Date(now.getTime() - windowMinutes * 60_000) }, OR: prefixes.map((p) => ({ key: { startsWith: p } })) },
  });
}

/** Throws RateLimitedError when the email or the IP has failed too often in the window. */
export async function assertNotRateLimited(prisma: PrismaClient, keys: string[], policy: RateLimitPolicy, now = new Date()) {
  for (const key of keys) {
    const limit = key.startsWith("ip:") ? policy.maxAttempts * IP_FACTOR : policy.maxAttempts;
    const wait = await minutesUntilFree(prisma, key, limit, policy.windowMinutes, now);
    if (wait !== undefined) throw new RateLimitedError(wait);
  }
}

export async function recordFailedSignIn(prisma: PrismaClient, keys: string[], policy: RateLimitPolicy, now = new Date()) {
  await record(prisma, keys, ["email:", "ip:"], policy.windowMinutes, now);
}

/**
 * Sign-ups per client address: one person with unlimited accounts gets unlimited daily submissions (and could
 * probe a benchmark's hidden labels). A client with no known address shares one bucket with all such clients.
 */
export function signUpKey(ip: string | undefined): string {
  return `signup:ip:${ip ?? "unknown"}`;
}

/** Throws RateLimitedError when this address has created too many accounts in the window; else counts this one. */
export async function takeSignUpSlot(prisma: PrismaClient, ip: string | undefined, policy: RateLimitPolicy, now = new Date()) {
  await takeSlot(prisma, signUpKey(ip), "signup:", policy, (wait) => `Too many accounts were created from your network recently. Try again in ${minutes(wait)}.`, now);
}

/**
 * Any other limit: throws RateLimitedError with `message` when `key` (which starts with its namespace `prefix`) has
 * had `policy.maxAttempts` events in the window; else counts this one.
 */
export async function takeSlot(
  prisma: PrismaClient,
  key: string,
  prefix: string,
  policy: RateLimitPolicy,
  message: (wait: number) => string,
  now = new Date(),
) {
  const wait = await minutesUntilFree(prisma, key, policy.maxAttempts, policy.windowMinutes, now);
  if (wait !== undefined) throw new RateLimitedError(wait, message(wait));
  await record(prisma, [key], [prefix], policy.windowMinutes, now);
}

export const waitText = minutes;

export async function clearFailedSignIns(prisma: PrismaClient, emailKey: string) {
  await prisma.signInAttempt.deleteMany({ where: { key: emailKey } });
}
