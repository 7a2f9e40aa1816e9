import { createHash, randomBytes } from "node:crypto";
import type { PrismaClient } from "@course/db";

const PREFIX = "crt_";

export function hashRunnerToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/**
 * Makes a runner token. The token itself is returned once and never stored: the database keeps its SHA-256
 * (a 192-bit random secret needs no slow hash) and a short prefix to recognise it by.
 */
export async function createRunnerToken(prisma: PrismaClient, name: string) {
  const trimmed = name.trim();
  if (!trimmed || trimmed.length > 100) throw new Error("A runner token needs a name of 1 to 100 characters.");
  const token = PREFIX + randomBytes(24).toString("base64url");
  const record = await prisma.runnerToken.create({
    data: { name: trimmed, tokenHash: hashRunnerToken(token), prefix: token.slice(0, PREFIX.length + 6) },
    select: { id: true, name: true, prefix: true, createdAt: true },
  });
  return { token, record };
}

/** The runner for an `Authorization: Bearer <token>` header, or null when missing, unknown or revoked. */
export async function authenticateRunner(prisma: PrismaClient, authorization: string | null) {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  if (!match?.[1] || !match[1].startsWith(PREFIX)) return null;
  const runner = await prisma.runnerToken.findUnique({ where: { tokenHash: hashRunnerToken(match[1]) } });
  return runner && !runner.revokedAt ? runner : null;
}

export async function revokeRunnerToken(prisma: PrismaClient, idOrPrefix: string) {
  const runner = await prisma.runnerToken.findFirst({
    where: { OR: [{ id: idOrPrefix }, { prefix: idOrPrefix }], revokedAt: null },
  });
  if (!runner) throw new Error(`No active runner token with the id or prefix "${idOrPrefix}".`);
  return prisma.runnerToken.update({ where: { id: runner.id }, data: { revokedAt: new Date() } });
}

/** The runner that `npm start` launches beside the site: its token comes from the data folder, not from an admin. */
export async function registerLocalRunner(prisma: PrismaClient, token: string) {
  const tokenHash = hashRunnerToken(token);
  await prisma.runnerToken.upsert({
    where: { tokenHash },
    create: { name: "local runner", tokenHash, prefix: token.slice(0, PREFIX.length + 6) },
    update: {},
  });
}
