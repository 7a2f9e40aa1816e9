export { openDatabase, type Database, type OpenOptions } from "./client";
export { databaseConfigFromEnv, describeDatabase, type DatabaseConfig } from "./config";
export { DataDirLockedError } from "./lock";
export { PgListener, type Listen, type ListenOptions, type Unlisten } from "./listen";
export { applyMigrations, appliedMigrationCount, readMigrations, type MigrationResult } from "./migrations";
export { defaultDataDir, defaultMigrationsDir, defaultSchemaPath, findRepoRoot } from "./paths";
export { Prisma, PrismaClient } from "../generated/prisma/client";
export type { Role, User } from "../generated/prisma/client";
export { Role as RoleEnum } from "../generated/prisma/enums";
