import "server-only";
import { headers } from "next/headers";
import { createContext } from "~/server/trpc/context";
import { createCaller } from "~/server/trpc/root";

/** Calls tRPC procedures from server components with the same checks as over HTTP. */
export async function api() {
  return createCaller(await createContext(await headers()));
}
