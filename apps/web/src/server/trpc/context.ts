import "server-only";
import { getDb } from "../db";
import { clientAddress } from "../auth/client-address";
import { getCurrentUser } from "../auth/session";
import type { Context } from "./init";

export async function createContext(headers: Headers): Promise<Context> {
  return { db: await getDb(), user: await getCurrentUser(), ip: clientAddress(headers) };
}
