import type { Prisma, PrismaClient } from "@course/db";

type Db = PrismaClient | Prisma.TransactionClient;

/** What the forum shows for a person: their name, else their forum username, else their e-mail's local part. */
export function displayName(user: { name: string | null; username?: string | null; email?: string } | null): string {
  if (!user) return "deleted user";
  return user.name?.trim() || user.username || user.email?.split("@")[0] || "member";
}

/** A valid username (the `@mention` grammar of packages/markdown) made from a name or an e-mail's local part. */
export function usernameBase(source: string): string {
  const base = source
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/\s+/g, "_")
    .replace(/[^A-Za-z0-9_.-]/g, "")
    .replace(/^[.-]+|[.-]+$/g, "")
    .slice(0, 20)
    .replace(/[.-]+$/, "");
  return base || "member";
}

/**
 * The user's forum username, chosen on first use from their name or e-mail (`alice`, then `alice2`, ...). Runs outside
 * the caller's transaction: two first posts at once race for a name, and the loser of the unique index tries the next.
 */
export async function ensureUsername(prisma: PrismaClient, userId: string): Promise<string> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const user = await prisma.user.findUnique({ where: { id: userId }, select: { username: true, name: true, email: true } });
    if (!user) throw new Error(`No user ${userId}`);
    if (user.username) return user.username;
    const base = usernameBase(user.name?.trim() || user.email.split("@")[0]!);
    const taken = new Set(
      (await prisma.user.findMany({ where: { username: { startsWith: base, mode: "insensitive" } }, select: { username: true } })).map((u) => u.username!.toLowerCase()),
    );
    let candidate = base;
    for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${base}${n}`;
    try {
      await prisma.user.updateMany({ where: { id: userId, username: null }, data: { username: candidate } });
    } catch (error) {
      if ((error as { code?: string }).code !== "P2002") throw error;
    }
  }
  throw new Error(`Could not choose a forum username for ${userId}`);
}

/** Users by username, any case (mentions): the names that exist, with their canonical spelling. */
export async function usersByUsername(db: Db, names: readonly string[]) {
  if (names.length === 0) return new Map<string, { id: string; username: string; name: string | null }>();
  const rows = await db.user.findMany({
    where: { OR: [...new Set(names.map((n) => n.toLowerCase()))].slice(0, 100).map((n) => ({ username: { equals: n, mode: "insensitive" as const } })) },
    select: { id: true, username: true, name: true },
  });
  return new Map(rows.map((r) => [r.username!.toLowerCase(), { id: r.id, username: r.username!, name: r.name }]));
}
