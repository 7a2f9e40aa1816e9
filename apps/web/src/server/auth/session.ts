import "server-only";
import type { Role } from "@course/db";
import { getServerSession } from "next-auth";
import { forbidden, redirect } from "next/navigation";
import { connection } from "next/server";
import { getDb } from "../db";
import { authOptions } from "./options";
import { hasRole } from "./roles";
import type { PublicUser } from "./users";

/** The signed-in user as the database has them now (fresh role), or null. */
export async function getCurrentUser(): Promise<PublicUser | null> {
  // A page that asks who is signed in is rendered per request, never at build time (the root layout no longer makes
  // every page dynamic: pages that are the same for everyone are cached).
  await connection();
  const session = await getServerSession(authOptions());
  const id = (session?.user as { id?: string } | undefined)?.id;
  if (!id) return null;
  const { prisma } = await getDb();
  return prisma.user.findUnique({ where: { id }, select: { id: true, email: true, name: true, role: true } });
}

/** For pages: sends anonymous visitors to sign in, and answers 403 to a signed-in user without the role. */
export async function requireUser(role: Role = "student", returnTo = "/"): Promise<PublicUser> {
  const user = await getCurrentUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
  if (!hasRole(user.role, role)) forbidden();
  return user;
}
