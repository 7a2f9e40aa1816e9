import type { Prisma, PrismaClient } from "@course/db";
import { displayName } from "./users";

/**
 * The composer's `@` completion: members whose username starts with what was typed (or whose name has a word that
 * does), the topic's own participants first. Only members with a forum username can be mentioned (it is set on their
 * first forum use).
 */

type Db = PrismaClient | Prisma.TransactionClient;

export const MENTION_SUGGESTIONS = 8;

export interface MentionSuggestion {
  username: string;
  name: string;
}

/** The characters a username may hold (packages/markdown's MENTION grammar). */
export const MENTION_PREFIX = /^[A-Za-z0-9_.-]{0,40}$/;

export async function mentionSuggestions(db: Db, input: { prefix: string; topicId?: string; viewerId: string }): Promise<MentionSuggestion[]> {
  const prefix = input.prefix.trim();
  const startsWith = { startsWith: prefix, mode: "insensitive" as const };
  const nameWord = prefix ? [{ name: startsWith }, { name: { contains: ` ${prefix}`, mode: "insensitive" as const } }] : [];
  const matches: Prisma.UserWhereInput = { username: { not: null }, id: { not: input.viewerId }, OR: [{ username: startsWith }, ...nameWord] };
  const select = { id: true, username: true, name: true } as const;
  const participants = input.topicId
    ? await db.user.findMany({
        where: { ...matches, forumPosts: { some: { topicId: input.topicId, deletedAt: null } } },
        orderBy: { username: "asc" },
        take: MENTION_SUGGESTIONS,
        select,
      })
    : [];
  const others = await db.user.findMany({
    where: { ...matches, id: { notIn: [input.viewerId, ...participants.map((p) => p.id)] } },
    orderBy: { username: "asc" },
    take: MENTION_SUGGESTIONS - participants.length,
    select,
  });
  return [...participants, ...others].map((u) => ({ username: u.username!, name: displayName(u) }));
}
