import "server-only";
import { getDb } from "../db";
import { getCurrentUser } from "../auth/session";
import type { Context } from "./init";

export async function createContext(headers: Headers): Promise<Context> {
  const ip = headers.get("x-forwarded-for")?.split(",")[0]?.trim() || headers.get("x-real-ip") || undefined;
  return { db: await getDb(), user: await getCurrentUser(), ip };
}
