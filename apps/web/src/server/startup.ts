import { serverEnv, EnvError } from "~/env";
import { getDb } from "./db";
import { registerLocalRunner } from "./runner/tokens";
import { indexCourseAtStart } from "./search/startup";
import { recordUnsyncedResults } from "./homework/submissions";
import { seedLessonPagesAtStart } from "./wiki/lesson-startup";
import { setUpForumAtStart } from "./forum/startup";
import { startEmailAtStart } from "./email/startup";
import { listenForPageChanges } from "./page-cache";

export async function startServer() {
  try {
    serverEnv();
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const db = await getDb();
  console.log(`[db] ${db.description}`);
  // Writes by other web instances (PostgreSQL) and by the CLIs drop the pages they change from this one's page cache.
  await listenForPageChanges(db).catch((error: unknown) => console.error(`[cache] not listening for page changes: ${(error as Error).message}`));
  const localToken = serverEnv().COURSE_LOCAL_RUNNER_TOKEN;
  if (localToken) await registerLocalRunner(db.prisma, localToken);
  await indexCourseAtStart(db.prisma);
  await seedLessonPagesAtStart(db.prisma);
  await setUpForumAtStart(db.prisma);
  // Results of jobs finished under a version that copied them lazily on reads; new results are recorded on arrival.
  const caughtUp = await recordUnsyncedResults(db.prisma);
  if (caughtUp > 0) console.log(`[homework] Recorded ${caughtUp} submission results left from an older version.`);
  startEmailAtStart(db.prisma);
  const users = await db.prisma.user.count();
  if (users === 0) console.log("[auth] No accounts yet: the first account to sign up becomes admin.");
}
