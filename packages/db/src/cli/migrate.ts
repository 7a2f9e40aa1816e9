import { databaseConfigFromEnv, describeDatabase } from "../config";
import { openDatabase } from "../client";

const config = databaseConfigFromEnv();
console.log(`Migrating ${describeDatabase(config)}`);
try {
  const db = await openDatabase(config);
  const result = await db.migrate(undefined, (line) => console.log(`  ${line}`));
  await db.close();
  console.log(
    result.applied.length
      ? `Applied ${result.applied.length} migration(s); ${result.alreadyApplied} were already applied.`
      : `Up to date (${result.alreadyApplied} migration(s) applied).`,
  );
} catch (error) {
  console.error(`Migration failed: ${(error as Error).message}`);
  process.exit(1);
}
