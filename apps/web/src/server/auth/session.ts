import "server-only";
import type { Role } from "@course/db";
import { getServerSession } from "next-auth";
import { forbidden, redirect } from "next/navigation";
import { connection } from "next/server";
import { getDb } from "../db";
import { authOptions } from "./options";
import { hasRole } from "./roles";
import type { SessionUser } from "./session-version";
import { suspensionMessage } from "./suspension";
import type { PublicUser } from "./users";

/** The signed-in user as the database has them now (fresh role), or null. */
/**
 * The signed-in user as the database has them now (fresh role), or null. A session whose version is not the
 * account's current one (it signed out, changed its password, or was demoted since) counts as signed out.
 */
export async function getCurrentUser(): Promise<PublicUser | null> {
  // A page that asks who is signed in is rendered per request, never at build time (the root layout no longer makes
  // every page dynamic: pages that are the same for everyone are cached).
  await connection();
  const session = await getServerSession(authOptions());
  const claims = session?.user as SessionUser | undefined;
  if (!claims?.id) return null;
  const { prisma } = await getDb();
  const user = await prisma.user.findUnique({
    where: { id: claims.id },
    select: { id: true, email: true, name: true, role: true, sessionVersion: true, trustLevel: true, suspendedUntil: true, suspendReason: true },
  });
  if (!user || user.sessionVersion !== claims.sessionVersion) return null;
  if (suspensionMessage(user)) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role, trustLevel: user.trustLevel };
}

/** For pages: sends anonymous visitors to sign in, and answers 403 to a signed-in user without the role. */
export async function requireUser(role: Role = "student", returnTo = "/"): Promise<PublicUser> {
  const user = await getCurrentUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
  if (!hasRole(user.role, role)) forbidden();
  return user;
}
