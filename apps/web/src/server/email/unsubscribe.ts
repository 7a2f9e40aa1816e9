import { createHmac, timingSafeEqual } from "node:crypto";
import type { PrismaClient } from "@course/db";
import { isNotificationKind, kindSpec, type NotificationKind } from "../notifications/kinds";
import { turnOffEmail } from "../notifications/preferences";
import { setEmailDelivery } from "./settings";

/**
 * One-click unsubscribe (RFC 8058): every email carries a link that needs no sign-in, because the person reading it
 * may not be signed in on that device, and a mail client's "Unsubscribe" button POSTs to it with no cookies at all.
 * The link is `<userId>.<scope>.<HMAC>`, signed with the auth secret: it can turn off only what it names, for only
 * that user, and changing any part of it breaks the signature. Rotating AUTH_SECRET invalidates the links already
 * sent (the preferences page still works).
 */
export type UnsubscribeScope = NotificationKind | "all";

export interface Unsubscribe {
  userId: string;
  scope: UnsubscribeScope;
}

function signature(secret: string, userId: string, scope: string): Buffer {
  // Its own label, so no other signature made with the auth secret can pass for an unsubscribe link.
  return createHmac("sha256", secret).update(`email-unsubscribe\u0000${userId}\u0000${scope}`).digest();
}

export function unsubscribeToken(secret: string, userId: string, scope: UnsubscribeScope): string {
  return `${userId}.${scope}.${signature(secret, userId, scope).toString("base64url")}`;
}

/** The user and scope a token names, or null for anything not signed by this site (changed, cut, made up). */
export function verifyUnsubscribeToken(secret: string, token: string): Unsubscribe | null {
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  const [userId, scope, sig] = parts as [string, string, string];
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(userId) || (scope !== "all" && !isNotificationKind(scope))) return null;
  // Compared as text: decoding first would accept other spellings of the same bytes (base64's unused low bits).
  const given = Buffer.from(sig);
  const expected = Buffer.from(signature(secret, userId, scope).toString("base64url"));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return { userId, scope };
}

export function unsubscribePagePath(token: string): string {
  return `/email/unsubscribe/${token}`;
}

/** Where mail clients POST `List-Unsubscribe=One-Click` (a GET there shows the page). */
export function oneClickPath(token: string): string {
  return `/api/email/unsubscribe/${token}`;
}

export interface UnsubscribeView {
  /** The address, partly hidden: whoever holds the link sees whose it is without reading the whole address. */
  address: string;
  /** What the link turns off, in words. */
  what: string;
  /** Already off: the link was used, or the user chose it on the preferences page. */
  alreadyOff: boolean;
}

function maskAddress(email: string): string {
  const at = email.lastIndexOf("@");
  if (at <= 0) return "***";
  const local = email.slice(0, at);
  return `${local.slice(0, Math.min(2, local.length))}***${email.slice(at)}`;
}

function describeScope(scope: UnsubscribeScope): string {
  return scope === "all" ? "all email from this site" : `emails about “${kindSpec(scope).label}”`;
}

async function isOff(prisma: PrismaClient, { userId, scope }: Unsubscribe): Promise<boolean> {
  if (scope === "all") {
    const settings = await prisma.emailSettings.findUnique({ where: { userId }, select: { delivery: true } });
    return settings?.delivery === "off";
  }
  const pref = await prisma.notificationPreference.findUnique({ where: { userId_kind: { userId, kind: scope } }, select: { email: true } });
  return !(pref?.email ?? kindSpec(scope).defaults.email);
}

/** What the confirmation page shows for a token; null when the token is not valid or its user is gone. */
export async function describeUnsubscribe(prisma: PrismaClient, secret: string, token: string): Promise<UnsubscribeView | null> {
  const parsed = verifyUnsubscribeToken(secret, token);
  if (!parsed) return null;
  const user = await prisma.user.findUnique({ where: { id: parsed.userId }, select: { email: true } });
  if (!user) return null;
  return { address: maskAddress(user.email), what: describeScope(parsed.scope), alreadyOff: await isOff(prisma, parsed) };
}

/** Turns off what the token names; null when the token is not valid. Doing it twice is harmless. */
export async function unsubscribe(prisma: PrismaClient, secret: string, token: string): Promise<UnsubscribeView | null> {
  const parsed = verifyUnsubscribeToken(secret, token);
  if (!parsed) return null;
  const user = await prisma.user.findUnique({ where: { id: parsed.userId }, select: { id: true, email: true } });
  if (!user) return null;
  if (parsed.scope === "all") await setEmailDelivery(prisma, user.id, "off");
  else await turnOffEmail(prisma, user.id, parsed.scope);
  return { address: maskAddress(user.email), what: describeScope(parsed.scope), alreadyOff: true };
}
