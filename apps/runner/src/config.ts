import { existsSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { DEFAULT_EXECUTOR } from "./job/grade";
import { DEFAULT_LIMITS, type SandboxLimits } from "./sandbox/limits";
import { DEFAULT_BWRAP_PATH, DEFAULT_SANDBOX_UID, type SandboxBind } from "./sandbox/sandbox";

const MiB = 1024 * 1024;
const posInt = (what: string) =>
  z.coerce.number({ error: `${what}: expected a number` }).int(`${what}: expected a whole number`).positive(`${what}: expected > 0`);
const nonNegInt = (what: string) =>
  z.coerce.number({ error: `${what}: expected a number` }).int(`${what}: expected a whole number`).nonnegative(`${what}: expected >= 0`);

/** Settings from flags (which win) and environment variables; every value validated. */
export const RunnerSettingsSchema = z.object({
  serverUrl: z.url({ protocol: /^https?$/, error: "server URL: expected http(s)://host[:port]" }).optional(),
  token: z.string().min(1, "runner token: empty").optional(),
  benchmarksDir: z.string().min(1).optional(),
  /** Pretrained models for notebooks (`<id>/model.json` + shards), mounted read-only in the sandbox. */
  modelsDir: z.string().min(1).optional(),
  jobsDir: z.string().min(1),
  executor: z.string().min(1, "executor: empty command"),
  bwrapPath: z.string().min(1),
  runnerName: z.string().min(1).max(200),
  backend: z.string().min(1).max(100).optional(),
  timeoutSeconds: posInt("timeout (s)"),
  cellTimeoutSeconds: posInt("cell timeout (s)").optional(),
  /** The whole job's memory (all its processes); 0 = no limit. */
  memoryMb: nonNegInt("memory (MiB)"),
  /** "auto", "off" or a delegated cgroup v2 directory for the jobs' memory caps (see sandbox/cgroup.ts). */
  memoryCgroup: z
    .string()
    .min(1, "memory cgroup: empty")
    .refine((v) => v === "auto" || v === "off" || v.startsWith("/"), 'memory cgroup: expected "auto", "off" or an absolute path to a cgroup v2 directory'),
  heapMb: nonNegInt("JavaScript heap (MiB)"),
  maxProcesses: posInt("max processes"),
  maxFileMb: posInt("max file size (MiB)"),
  maxOutputMb: posInt("max output (MiB)"),
  maxDiskMb: nonNegInt("max disk (MiB)"),
  tmpMb: posInt("/tmp size (MiB)"),
  /** Host uid the sandbox runs as when the runner is root; give each runner on a host its own. */
  sandboxUid: posInt("sandbox uid").max(2 ** 31 - 2, "sandbox uid: too large"),
});
export type RunnerSettings = z.infer<typeof RunnerSettingsSchema>;

/** Environment variables the runner reads (flags override them). */
export const ENV_VARS = {
  serverUrl: "COURSE_SERVER_URL",
  token: "RUNNER_TOKEN",
  benchmarksDir: "COURSE_BENCHMARKS_DIR",
  modelsDir: "COURSE_MODELS_DIR",
  jobsDir: "COURSE_RUNNER_JOBS_DIR",
  executor: "COURSE_NOTEBOOK_EXECUTOR",
  bwrapPath: "COURSE_BWRAP",
  runnerName: "RUNNER_NAME",
  backend: "COURSE_ML_BACKEND",
  timeoutSeconds: "RUNNER_TIMEOUT_S",
  cellTimeoutSeconds: "RUNNER_CELL_TIMEOUT_S",
  memoryMb: "RUNNER_MEMORY_MB",
  memoryCgroup: "RUNNER_MEMORY_CGROUP",
  heapMb: "RUNNER_HEAP_MB",
  maxProcesses: "RUNNER_MAX_PROCESSES",
  maxFileMb: "RUNNER_MAX_FILE_MB",
  maxOutputMb: "RUNNER_MAX_OUTPUT_MB",
  maxDiskMb: "RUNNER_MAX_DISK_MB",
  tmpMb: "RUNNER_TMP_MB",
  sandboxUid: "RUNNER_SANDBOX_UID",
} as const satisfies Record<keyof RunnerSettings, string>;

const DEFAULTS = {
  jobsDir: path.join(os.tmpdir(), "course-runner-jobs"),
  executor: DEFAULT_EXECUTOR,
  bwrapPath: DEFAULT_BWRAP_PATH,
  runnerName: os.hostname(),
  timeoutSeconds: DEFAULT_LIMITS.wallTimeMs / 1000,
  memoryMb: DEFAULT_LIMITS.memoryBytes / MiB,
  memoryCgroup: "auto",
  heapMb: DEFAULT_LIMITS.nodeHeapMb ?? 0,
  maxProcesses: DEFAULT_LIMITS.maxProcesses,
  maxFileMb: DEFAULT_LIMITS.maxFileBytes / MiB,
  maxOutputMb: DEFAULT_LIMITS.maxOutputBytes / MiB,
  maxDiskMb: DEFAULT_LIMITS.maxWorkDirBytes / MiB,
  tmpMb: DEFAULT_LIMITS.tmpBytes / MiB,
  sandboxUid: DEFAULT_SANDBOX_UID,
};

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Merges flags > env > defaults and validates; errors name the flag or variable. */
export function loadSettings(
  flags: Partial<Record<keyof RunnerSettings, string | undefined>>,
  env: Record<string, string | undefined> = process.env,
): RunnerSettings {
  const raw: Record<string, unknown> = { ...DEFAULTS };
  const source: Record<string, string> = {};
  for (const key of Object.keys(ENV_VARS) as (keyof RunnerSettings)[]) {
    const fromEnv = env[ENV_VARS[key]];
    if (fromEnv !== undefined && fromEnv !== "") {
      raw[key] = fromEnv;
      source[key] = `env ${ENV_VARS[key]}`;
    }
    const fromFlag = flags[key];
    if (fromFlag !== undefined) {
      raw[key] = fromFlag;
      source[key] = "flag";
    }
  }
  const parsed = RunnerSettingsSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const key = String(i.path[0] ?? "");
      return `  - ${i.message}${source[key] ? ` (from ${source[key]})` : ""}`;
    });
    throw new ConfigError(`invalid runner configuration:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

export function limitsFromSettings(s: RunnerSettings): SandboxLimits {
  return {
    wallTimeMs: s.timeoutSeconds * 1000,
    memoryBytes: s.memoryMb * MiB,
    nodeHeapMb: s.heapMb > 0 ? s.heapMb : null,
    maxProcesses: s.maxProcesses,
    maxFileBytes: s.maxFileMb * MiB,
    maxOutputBytes: s.maxOutputMb * MiB,
    maxWorkDirBytes: s.maxDiskMb * MiB,
    tmpBytes: s.tmpMb * MiB,
  };
}

/** Where the monorepo's node_modules and packages appear inside the sandbox (for the notebook executor). */
export const SANDBOX_COURSE_DIR = "/opt/course";

/**
 * Default read-only binds: the monorepo's node_modules and packages (never the whole repo: it may hold
 * .env files or the embedded database), so `course-notebook` and its dependencies resolve inside.
 */
export function defaultExecutorBinds(fromDir = path.dirname(fileURLToPath(import.meta.url))): {
  binds: SandboxBind[];
  extraPath: string[];
} {
  let dir = fromDir;
  for (;;) {
    const pkg = path.join(dir, "package.json");
    if (existsSync(pkg)) {
      try {
        const json = JSON.parse(readFileSync(pkg, "utf8")) as { workspaces?: unknown };
        if (json.workspaces) break;
      } catch {
        // keep looking
      }
    }
    const up = path.dirname(dir);
    if (up === dir) return { binds: [], extraPath: [] };
    dir = up;
  }
  const binds: SandboxBind[] = [];
  for (const sub of ["node_modules", "packages"]) {
    const p = path.join(dir, sub);
    if (existsSync(p)) binds.push({ source: p, target: `${SANDBOX_COURSE_DIR}/${sub}` });
  }
  return { binds, extraPath: [`${SANDBOX_COURSE_DIR}/node_modules/.bin`] };
}

/** `--bind /host/path[:/sandbox/path]` */
export function parseBind(spec: string): SandboxBind {
  const i = spec.indexOf(":");
  const source = path.resolve(i < 0 ? spec : spec.slice(0, i));
  const target = i < 0 ? undefined : spec.slice(i + 1);
  if (!existsSync(source)) throw new ConfigError(`--bind ${spec}: ${source} does not exist`);
  return { source, target };
}

/** Where the models folder appears inside the sandbox; notebooks find it through COURSE_MODELS_FROM. */
export const SANDBOX_MODELS_DIR = "/opt/models";

/** The read-only bind and environment that give notebooks the runner's pretrained models, if it has any. */
export function modelsMount(settings: Pick<RunnerSettings, "modelsDir">): { binds: SandboxBind[]; env: Record<string, string> } {
  if (!settings.modelsDir) return { binds: [], env: {} };
  const source = path.resolve(settings.modelsDir);
  if (!existsSync(source)) {
    throw new ConfigError(`models folder ${source} (--models-dir / COURSE_MODELS_DIR) does not exist`);
  }
  return { binds: [{ source, target: SANDBOX_MODELS_DIR }], env: { COURSE_MODELS_FROM: SANDBOX_MODELS_DIR } };
}
