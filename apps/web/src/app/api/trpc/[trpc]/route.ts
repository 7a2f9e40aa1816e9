import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "~/server/trpc/root";
import { createContext } from "~/server/trpc/context";
import { refuseCrossSiteWrite } from "~/server/auth/same-origin";

function handler(req: Request) {
  // Mutations are POSTs: refused when another site's page sends them with a visitor's cookies.
  const refused = refuseCrossSiteWrite(req);
  if (refused) return refused;
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: () => createContext(req.headers),
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR") console.error(`[trpc] ${path ?? "?"}:`, error);
    },
  });
}

export { handler as GET, handler as POST };
