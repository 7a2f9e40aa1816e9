// node --import tsx e2e/support/seed.ts <pglite data dir>: creates the seeded accounts before the site starts.
import { openDatabase } from "@course/db";
import { createUser } from "../../src/server/auth/users";
import { PASSWORD, SEEDED } from "./accounts";

const db = await openDatabase({ kind: "pglite", dataDir: process.argv[2]! }, { migrate: true });
for (const account of Object.values(SEEDED)) {
  const user = await createUser(db.prisma, { email: account.email, name: account.name, password: PASSWORD });
  await db.prisma.user.update({ where: { id: user.id }, data: { role: account.role } });
}
await db.close();
