import NextAuth from "next-auth";
import { authOptions } from "~/server/auth/options";

// Built per request so that a bad environment fails with the validation message, not at import.
function handler(req: Request, ctx: { params: Promise<{ nextauth: string[] }> }) {
  return NextAuth(authOptions())(req, ctx);
}

export { handler as GET, handler as POST };
