// npm run admin -- grant <email> <role> | list
import { DataDirLockedError, openDatabase, type Role } from "@course/db";
import { ROLES } from "../src/server/auth/roles";
import { setRole } from "../src/server/auth/users";
import { createRunnerToken, revokeRunnerToken } from "../src/server/runner/tokens";

const usage = `Usage:
  npm run admin -- grant <email> <role>          role: ${ROLES.join(" | ")}
  npm run admin -- list
  npm run admin -- runner-token create <name>    prints a new runner token (shown once)
  npm run admin -- runner-token list
  npm run admin -- runner-token revoke <id-or-prefix>`;

async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  if (command === "runner-token") return runnerTokens(rest);
  if (command !== "grant" && command !== "list") {
    console.error(usage);
    return 2;
  }
  if (command === "grant" && (rest.length !== 2 || !ROLES.includes(rest[1] as Role))) {
    console.error(rest.length === 2 ? `Unknown role "${rest[1]}". Roles: ${ROLES.join(", ")}.` : usage);
    return 2;
  }
  const db = await openDatabase(undefined, { migrate: true });
  try {
    if (command === "list") {
      const users = await db.prisma.user.findMany({ orderBy: { createdAt: "asc" }, select: { email: true, role: true, name: true } });
      if (users.length === 0) console.log("No accounts yet.");
      for (const user of users) console.log(`${user.role.padEnd(8)} ${user.email}${user.name ? `  (${user.name})` : ""}`);
      return 0;
    }
    const [email, role] = rest as [string, Role];
    const user = await setRole(db.prisma, email, role);
    console.log(`${user.email} is now ${user.role}.`);
    return 0;
  } catch (error) {
    console.error((error as Error).message);
    return 1;
  } finally {
    await db.close();
  }
}

async function runnerTokens([action, arg]: string[]): Promise<number> {
  if (!(action === "list" || ((action === "create" || action === "revoke") && arg))) {
    console.error(usage);
    return 2;
  }
  const db = await openDatabase(undefined, { migrate: true });
  try {
    if (action === "create") {
      const { token, record } = await createRunnerToken(db.prisma, arg!);
      console.log(`Runner token "${record.name}" (${record.prefix}…). It is shown only now; store it as RUNNER_TOKEN on the runner:\n${token}`);
    } else if (action === "revoke") {
      const revoked = await revokeRunnerToken(db.prisma, arg!);
      console.log(`Revoked runner token "${revoked.name}" (${revoked.prefix}…).`);
    } else {
      const tokens = await db.prisma.runnerToken.findMany({ orderBy: { createdAt: "asc" } });
      if (tokens.length === 0) console.log("No runner tokens yet.");
      for (const t of tokens) {
        const state = t.revokedAt ? "revoked" : t.lastSeenAt ? `last seen ${t.lastSeenAt.toISOString()}` : "never used";
        console.log(`${t.prefix}…  ${t.name.padEnd(20)} ${state}`);
      }
    }
    return 0;
  } catch (error) {
    console.error((error as Error).message);
    return 1;
  } finally {
    await db.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof DataDirLockedError) {
      console.error(`${error.message}\nTip: while the site runs, admins can change roles at /admin/users.`);
    } else {
      console.error((error as Error).message);
    }
    process.exit(1);
  },
);
