import type { PrismaClient, Role } from "@course/db";
import { hasRole } from "../auth/roles";
import { KIND_NAMES, kindSpec, type NotificationKind } from "./kinds";
import { DomainError } from "../errors";

export interface KindPreference {
  kind: NotificationKind;
  label: string;
  description: string;
  mandatory: boolean;
  inApp: boolean;
  email: boolean;
}


/** The kinds this user can get (by role), each with their choice or the kind's defaults. */
export async function preferencesOf(prisma: PrismaClient, user: { id: string; role: Role }): Promise<KindPreference[]> {
  const rows = await prisma.notificationPreference.findMany({ where: { userId: user.id }, select: { kind: true, inApp: true, email: true } });
  const chosen = new Map(rows.map((r) => [r.kind, r]));
  return KIND_NAMES.filter((kind) => kindSpec(kind).audience === "student" || hasRole(user.role, "grader")).map((kind) => {
    const spec = kindSpec(kind);
    const row = chosen.get(kind);
    return {
      kind,
      label: spec.label,
      description: spec.description,
      mandatory: spec.mandatory,
      inApp: spec.mandatory || (row?.inApp ?? spec.defaults.inApp),
      email: row?.email ?? spec.defaults.email,
    };
  });
}

/** Changes one kind's channels; a channel left out keeps its current value. Mandatory kinds cannot be turned off in-app. */
export async function setPreference(prisma: PrismaClient, user: { id: string; role: Role }, kind: NotificationKind, change: { inApp?: boolean; email?: boolean }) {
  const spec = kindSpec(kind);
  if (spec.mandatory && change.inApp === false) {
    throw new DomainError("BAD_REQUEST", `“${spec.label}” notifications are always shown on the site: they are a grader's answer to you.`);
  }
  const current = (await preferencesOf(prisma, user)).find((p) => p.kind === kind);
  if (!current) throw new DomainError("BAD_REQUEST", `“${spec.label}” notifications are for graders only.`);
  const next = { inApp: change.inApp ?? current.inApp, email: change.email ?? current.email };
  await prisma.notificationPreference.upsert({
    where: { userId_kind: { userId: user.id, kind } },
    create: { userId: user.id, kind, ...next },
    update: next,
  });
  return { ...current, ...next };
}

/**
 * One kind's email off, whatever the user's role now (an unsubscribe link from an email sent while they were a grader
 * still works after a demotion); the in-app choice stays as it was.
 */
export async function turnOffEmail(prisma: PrismaClient, userId: string, kind: NotificationKind): Promise<void> {
  await prisma.notificationPreference.upsert({
    where: { userId_kind: { userId, kind } },
    create: { userId, kind, inApp: kindSpec(kind).defaults.inApp, email: false },
    update: { email: false },
  });
}
