import { Prisma, type PrismaClient, type Role } from "@course/db";
import { z } from "zod";
import { RANK } from "./roles";
import { dummyPasswordHash, hashPassword, passwordWeakness, verifyPassword } from "./password";
import {
  assertNotRateLimited,
  clearFailedSignIns,
  recordFailedSignIn,
  signInKeys,
  takeSignUpSlot,
  type RateLimitPolicy,
} from "./rate-limit";
import { badRequest, DomainError } from "../errors";
import { suspensionMessage } from "./suspension";

export const signUpInput = z.object({
  email: z.email({ message: "Enter a valid email address." }).max(254).transform((e) => e.trim().toLowerCase()),
  name: z.string().trim().max(100, "Name must be at most 100 characters.").optional(),
  password: z.string().max(200, "Password must be at most 200 characters long."),
});

/** A sign-up refused for one field: the email's refusals are a CONFLICT, the others a BAD_REQUEST. */
export class SignUpError extends DomainError {
  constructor(
    message: string,
    readonly field: "email" | "password" | "name",
  ) {
    super(field === "email" ? "CONFLICT" : "BAD_REQUEST", message);
    this.name = "SignUpError";
  }
}

export interface PublicUser {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  /** forum trust level 0-4, where the session check read it (absent: treat as 0) */
  trustLevel?: number;
}

const publicFields = { id: true, email: true, name: true, role: true } as const;

// Serialises "is this the first account?" across processes and connections.
const FIRST_ACCOUNT_LOCK = 7_265_736_202;

/**
 * Creates an account. The very first account of an install becomes admin (decided under an advisory lock, so
 * two simultaneous first sign-ups cannot both win). `onFirstAdmin` lets the caller log it.
 */
export async function createUser(
  prisma: PrismaClient,
  input: { email: string; name?: string | undefined; password?: string; github?: { accountId: string } },
  onFirstAdmin: (user: PublicUser) => void = () => {},
): Promise<PublicUser> {
  const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
  try {
    const user = await prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${FIRST_ACCOUNT_LOCK}::bigint)`;
      const first = (await tx.user.count()) === 0;
      return tx.user.create({
        data: {
          email: input.email,
          name: input.name || null,
          passwordHash,
          role: first ? "admin" : "student",
          accounts: input.github ? { create: { provider: "github", providerAccountId: input.github.accountId } } : undefined,
        },
        select: publicFields,
      });
    });
    if (user.role === "admin") onFirstAdmin(user);
    return user;
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new SignUpError("An account with this email already exists. Sign in instead.", "email");
    }
    throw error;
  }
}

/**
 * Creates an email+password account after checking every field. With `limit`, sign-ups are counted per client
 * address (a valid attempt counts even when the email turns out to be taken) and refused past the policy.
 */
export async function signUpWithPassword(
  prisma: PrismaClient,
  raw: unknown,
  onFirstAdmin?: (user: PublicUser) => void,
  limit?: { ip: string | undefined; policy: RateLimitPolicy },
): Promise<PublicUser> {
  const parsed = signUpInput.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new SignUpError(issue.message, (issue.path[0] as "email" | "password" | "name") ?? "email");
  }
  const { email, name, password } = parsed.data;
  const weakness = await passwordWeakness(password, { email, name });
  if (weakness) throw new SignUpError(weakness, "password");
  if (limit) await takeSignUpSlot(prisma, limit.ip, limit.policy);
  return createUser(prisma, { email, name, password }, onFirstAdmin);
}

export const WRONG_CREDENTIALS = "Wrong email or password.";

/**
 * Checks an email and password. Rate limited per email and per IP; the same message and about the same time
 * whether the email is unknown or the password is wrong.
 */
export async function authenticate(
  prisma: PrismaClient,
  credentials: { email: string; password: string; ip?: string | undefined },
  policy: RateLimitPolicy,
): Promise<PublicUser> {
  const email = credentials.email.trim().toLowerCase();
  const { emailKey, ipKey } = signInKeys(email, credentials.ip);
  const keys = ipKey ? [emailKey, ipKey] : [emailKey];
  await assertNotRateLimited(prisma, keys, policy);
  const user = await prisma.user.findUnique({ where: { email }, select: { ...publicFields, passwordHash: true, suspendedUntil: true, suspendReason: true } });
  const ok = await verifyPassword(credentials.password, user?.passwordHash ?? (await dummyPasswordHash()));
  if (!user || !user.passwordHash || !ok) {
    await recordFailedSignIn(prisma, keys, policy);
    throw new Error(WRONG_CREDENTIALS);
  }
  await clearFailedSignIns(prisma, emailKey);
  // Only after the password is right: the suspension is the account holder's business, not a guesser's.
  const suspended = suspensionMessage(user);
  if (suspended) throw new Error(suspended);
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

/** Finds or creates the user for a GitHub identity; links it to an existing account with the same verified email. */
export async function userForGitHub(
  prisma: PrismaClient,
  profile: { accountId: string; email: string | null | undefined; name: string | null | undefined },
  onFirstAdmin?: (user: PublicUser) => void,
): Promise<PublicUser> {
  const linked = await prisma.account.findUnique({
    where: { provider_providerAccountId: { provider: "github", providerAccountId: profile.accountId } },
    select: { user: { select: publicFields } },
  });
  if (linked) return linked.user;
  const email = profile.email?.trim().toLowerCase();
  if (!email) throw new Error("Your GitHub account has no public verified email; add one on GitHub or sign up with email.");
  const existing = await prisma.user.findUnique({ where: { email }, select: publicFields });
  if (existing) {
    await prisma.account.create({ data: { userId: existing.id, provider: "github", providerAccountId: profile.accountId } });
    return existing;
  }
  return createUser(prisma, { email, name: profile.name ?? undefined, github: { accountId: profile.accountId } }, onFirstAdmin);
}

export async function setRole(prisma: PrismaClient, email: string, role: Role): Promise<PublicUser> {
  const user = await prisma.user.findUnique({ where: { email: email.trim().toLowerCase() } });
  if (!user) throw badRequest(`No account with the email ${email}.`);
  if (user.role === "admin" && role !== "admin") {
    const admins = await prisma.user.count({ where: { role: "admin" } });
    if (admins <= 1) throw badRequest(`${user.email} is the last admin; make someone else admin first.`);
  }
  // A demotion ends the account's sessions, so a copied cookie keeps no trace of the old role's pages.
  const demoted = RANK[role] < RANK[user.role];
  return prisma.user.update({
    where: { id: user.id },
    data: { role, ...(demoted ? { sessionVersion: { increment: 1 } } : {}) },
    select: publicFields,
  });
}

/** Every account, oldest first (at most 500), optionally those whose email or name contains `search`. */
export function listUsers(prisma: PrismaClient, search?: string) {
  return prisma.user.findMany({
    where: search
      ? { OR: [{ email: { contains: search, mode: "insensitive" } }, { name: { contains: search, mode: "insensitive" } }] }
      : undefined,
    orderBy: { createdAt: "asc" },
    select: { id: true, email: true, name: true, role: true, createdAt: true, trustLevel: true, silencedUntil: true, suspendedUntil: true },
    take: 500,
  });
}

/** An empty name clears it (the email is shown instead). */
export function updateName(prisma: PrismaClient, userId: string, name: string) {
  return prisma.user.update({ where: { id: userId }, data: { name: name || null }, select: { name: true } });
}

/** Checks the current password (none for GitHub-only accounts) and the new one's strength, then ends every session. */
export async function changePassword(prisma: PrismaClient, userId: string, current: string, next: string) {
  const row = await prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { passwordHash: true, email: true, name: true } });
  if (row.passwordHash && !(await verifyPassword(current, row.passwordHash))) throw badRequest("Your current password is not right.");
  const weakness = await passwordWeakness(next, { email: row.email, name: row.name });
  if (weakness) throw badRequest(weakness);
  // Whoever knew the old password may hold a session: every session ends (the form signs this browser in again).
  await prisma.user.update({ where: { id: userId }, data: { passwordHash: await hashPassword(next), sessionVersion: { increment: 1 } } });
  return { ok: true };
}
