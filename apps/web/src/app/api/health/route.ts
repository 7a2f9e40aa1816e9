import { appliedMigrationCount } from "@course/db";
import { getDb } from "~/server/db";

export const dynamic = "force-dynamic";

/** Liveness and readiness: 200 when the database answers, 503 (with the reason) when it does not. */
export async function GET() {
  const started = performance.now();
  try {
    const db = await getDb();
    const migrations = await db.withSql((sql) => appliedMigrationCount(sql));
    return Response.json({
      status: "ok",
      database: { kind: db.config.kind, migrations },
      latencyMs: Math.round(performance.now() - started),
      uptimeSeconds: Math.round(process.uptime()),
    });
  } catch (error) {
    return Response.json({ status: "error", error: (error as Error).message }, { status: 503 });
  }
}
