import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import GitHubProvider from "next-auth/providers/github";
import { serverEnv } from "~/env";
import { getDb } from "../db";
import { clientAddress } from "./client-address";
import { endAllSessions, SESSION_VERSION_CLAIM, type SessionUser } from "./session-version";
import { logFirstAdminLine } from "./log";
import { authSecret } from "./secret";
import { suspensionMessage } from "./suspension";
import { authenticate, userForGitHub } from "./users";


export function githubEnabled(): boolean {
  const env = serverEnv();
  return Boolean(env.AUTH_GITHUB_ID && env.AUTH_GITHUB_SECRET);
}

export function authOptions(): NextAuthOptions {
  const env = serverEnv();
  const policy = { maxAttempts: env.SIGNIN_MAX_ATTEMPTS, windowMinutes: env.SIGNIN_WINDOW_MINUTES };
  const providers: NextAuthOptions["providers"] = [
    CredentialsProvider({
      id: "credentials",
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, req) {
        if (!credentials?.email || !credentials.password) throw new Error("Enter your email and password.");
        const { prisma } = await getDb();
        const user = await authenticate(
          prisma,
          { email: credentials.email, password: credentials.password, ip: clientAddress(req.headers) },
          policy,
        );
        return { id: user.id, email: user.email, name: user.name };
      },
    }),
  ];
  if (env.AUTH_GITHUB_ID && env.AUTH_GITHUB_SECRET) {
    providers.push(GitHubProvider({ clientId: env.AUTH_GITHUB_ID, clientSecret: env.AUTH_GITHUB_SECRET }));
  }
  return {
    secret: authSecret(),
    session: { strategy: "jwt", maxAge: 30 * 24 * 60 * 60 },
    pages: { signIn: "/signin", error: "/signin" },
    providers,
    callbacks: {
      async signIn({ account, profile, user }) {
        if (account?.provider !== "github") return true;
        const { prisma } = await getDb();
        const ours = await userForGitHub(
          prisma,
          { accountId: account.providerAccountId, email: profile?.email ?? user.email, name: profile?.name ?? user.name },
          logFirstAdminLine,
        );
        const suspended = suspensionMessage(await prisma.user.findUniqueOrThrow({ where: { id: ours.id }, select: { suspendedUntil: true, suspendReason: true } }));
        if (suspended) return `/signin?error=${encodeURIComponent(suspended)}`;
        // Carry our id to the jwt callback instead of GitHub's.
        user.id = ours.id;
        return true;
      },
      async jwt({ token, user }) {
        if (user) {
          token.sub = user.id;
          // The account's session version at sign-in: bumping it in the database ends this session (session.ts).
          const { prisma } = await getDb();
          const row = await prisma.user.findUnique({ where: { id: user.id }, select: { sessionVersion: true } });
          token[SESSION_VERSION_CLAIM] = row?.sessionVersion;
        }
        return token;
      },
      session({ session, token }) {
        // Roles are read from the database on every server check (see session.ts), never trusted from the cookie.
        if (session.user && token.sub) {
          const user = session.user as SessionUser;
          user.id = token.sub;
          const version = token[SESSION_VERSION_CLAIM];
          if (typeof version === "number") user.sessionVersion = version;
        }
        return session;
      },
    },
    events: {
      // A signed-out cookie must not keep working if it was copied: without per-session state in the database,
      // signing out ends every session of the account (the UI says so).
      async signOut({ token }) {
        const version = token?.[SESSION_VERSION_CLAIM];
        if (!token?.sub || typeof version !== "number") return;
        const { prisma } = await getDb();
        await endAllSessions(prisma, token.sub, version);
      },
    },
  };
}
