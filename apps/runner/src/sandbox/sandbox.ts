import { spawn } from "node:child_process";
import { constants, existsSync, lstatSync, readlinkSync } from "node:fs";
import { access, chmod, lchown, lstat, mkdtemp, readdir, readlink, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { StringDecoder } from "node:string_decoder";
import { detectMemoryCgroup, JobCgroup, type MemoryCgroupSetting } from "./cgroup";
import { classifyExit, DEFAULT_LIMITS, describeLimit, type LimitReason, type SandboxLimits } from "./limits";
import { processesInPidNamespace, processTree, totalPrivateMemory } from "./process-memory";

/** Where the private work directory appears inside the sandbox (the command's cwd and HOME). */
export const SANDBOX_WORK_DIR = "/work";
export const DEFAULT_BWRAP_PATH = "/usr/bin/bwrap";
/** Host uid/gid the sandbox runs as when the runner is root (RLIMIT_NPROC counts per uid). */
export const DEFAULT_SANDBOX_UID = 64000;

export type SandboxMode = "bwrap" | "unsafe-no-sandbox";

export interface SandboxBind {
  source: string;
  /** Path inside the sandbox; defaults to source. */
  target?: string;
}

export interface SandboxOptions {
  command: string;
  args?: readonly string[];
  /** Host directory, bound read-write at /work; the command starts there. */
  workDir: string;
  /** Extra read-only binds (benchmark data, node_modules). Never put hidden labels here. */
  readOnlyBinds?: readonly SandboxBind[];
  /** Extra environment variables; nothing is taken from the runner's own environment. */
  env?: Readonly<Record<string, string>>;
  /** Directories prepended to PATH inside the sandbox. */
  extraPath?: readonly string[];
  limits?: Partial<SandboxLimits>;
  onStdout?: (chunk: string) => void;
  onStderr?: (chunk: string) => void;
  /** "bwrap" (default) or "unsafe-no-sandbox" (runs the command directly, with rlimits only). */
  mode?: SandboxMode;
  bwrapPath?: string;
  sandboxUid?: number;
  /** Bind /dev/nvidia* devices into the sandbox. */
  gpu?: boolean;
  /** Where the job's total memory cap may use a cgroup v2 (see cgroup.ts); default "auto". */
  memoryCgroup?: MemoryCgroupSetting;
  signal?: AbortSignal;
}

/** How the job's total memory cap was enforced: kernel cgroup, the runner's /proc watchdog, or not at all (cap 0). */
export type MemoryEnforcement = "cgroup" | "watchdog" | "none";

export interface SandboxResult {
  /** Exit 0 and no limit hit. */
  ok: boolean;
  /** "exited": on its own (see exitCode/limit); "killed": by the runner (limit or cancel); "sandbox error": bwrap failed. */
  outcome: "exited" | "killed" | "sandbox error";
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** The limit that ended the command, if one did. */
  limit: LimitReason | null;
  cancelled: boolean;
  /** One line for people: what happened. */
  message: string;
  durationMs: number;
  stdoutBytes: number;
  stderrBytes: number;
  /** Last 64 KiB of stdout+stderr, interleaved as received. */
  outputTail: string;
  memoryEnforcement: MemoryEnforcement;
  /** Highest total memory of the job seen (cgroup memory.peak, or the watchdog's samples); null if unknown. */
  peakMemoryBytes: number | null;
}

export class SandboxUnavailableError extends Error {
  override name = "SandboxUnavailableError";
}

const BASE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
const TAIL_BYTES = 64 * 1024;
/** How often the memory watchdog samples the job (a fast writer can overshoot by what it allocates in this time). */
export const MEMORY_POLL_MS = 200;

/** Minimal, secret-free pieces of /etc (never the whole /etc: it may hold credentials). */
const ETC_ALLOW = [
  "/etc/ssl",
  "/etc/ca-certificates",
  "/etc/alternatives",
  "/etc/ld.so.cache",
  "/etc/ld.so.conf",
  "/etc/ld.so.conf.d",
  "/etc/localtime",
  "/etc/hosts",
  "/etc/nsswitch.conf",
  "/etc/fonts",
  "/etc/mime.types",
];
const ROOT_LINKS = ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"];
const RESERVED_TARGETS = ["/", "/work", "/tmp", "/proc", "/dev", "/usr", "/etc"];

/** The environment the sandboxed command sees: an allow-list, never the runner's process.env. */
export function sandboxEnv(opts: Pick<SandboxOptions, "env" | "extraPath">, limits: SandboxLimits, home: string): Record<string, string> {
  const env: Record<string, string> = {
    PATH: [...(opts.extraPath ?? []), BASE_PATH].join(":"),
    HOME: home,
    TMPDIR: "/tmp",
    LANG: "C.UTF-8",
    LC_ALL: "C.UTF-8",
    USER: "student",
  };
  if (limits.nodeHeapMb) env.NODE_OPTIONS = `--max-old-space-size=${limits.nodeHeapMb}`;
  for (const [k, v] of Object.entries(opts.env ?? {})) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new Error(`sandbox env: invalid variable name ${JSON.stringify(k)}`);
    env[k] = v;
  }
  return env;
}

function checkTarget(target: string): void {
  const t = path.posix.normalize(target);
  if (!path.posix.isAbsolute(t)) throw new Error(`sandbox bind target must be absolute: ${target}`);
  for (const r of RESERVED_TARGETS) {
    if (t === r || (r !== "/" && t.startsWith(r + "/"))) throw new Error(`sandbox bind target ${target} collides with ${r}`);
  }
}

/** bwrap arguments (without the command). Pure apart from looking at which root symlinks exist. */
export function buildBwrapArgs(opts: {
  workDir: string;
  readOnlyBinds: readonly SandboxBind[];
  env: Record<string, string>;
  tmpBytes: number;
  etcFiles: { passwd: string; group: string };
  gpu: boolean;
}): string[] {
  const a: string[] = [
    "--unshare-all", // user, ipc, pid, net, uts, cgroup namespaces
    "--unshare-user",
    "--disable-userns", // no nested user namespaces (and so no way to regain capabilities)
    "--die-with-parent",
    "--new-session",
    "--hostname",
    "sandbox",
    "--clearenv",
  ];
  for (const [k, v] of Object.entries(opts.env)) a.push("--setenv", k, v);
  a.push("--ro-bind", "/usr", "/usr");
  for (const p of ROOT_LINKS) {
    if (!existsSync(p)) continue;
    const st = lstatSync(p);
    if (st.isSymbolicLink()) a.push("--symlink", readlinkSync(p), p);
    else if (st.isDirectory()) a.push("--ro-bind", p, p);
  }
  for (const p of ETC_ALLOW) a.push("--ro-bind-try", p, p);
  a.push("--ro-bind", opts.etcFiles.passwd, "/etc/passwd", "--ro-bind", opts.etcFiles.group, "/etc/group");
  a.push("--proc", "/proc", "--dev", "/dev");
  // Memory-backed scratch space, each capped: /tmp and /dev/shm. /dev itself is made read-only below
  // (bwrap's /dev is a tmpfs as large as half the host's RAM).
  a.push("--size", String(opts.tmpBytes), "--tmpfs", "/tmp");
  a.push("--size", String(opts.tmpBytes), "--tmpfs", "/dev/shm");
  if (opts.gpu) {
    for (const d of ["/dev/nvidiactl", "/dev/nvidia-uvm", "/dev/nvidia-uvm-tools", "/dev/nvidia-modeset", "/dev/nvidia0", "/dev/nvidia1", "/dev/nvidia2", "/dev/nvidia3"]) {
      a.push("--dev-bind-try", d, d);
    }
  }
  a.push("--bind", opts.workDir, SANDBOX_WORK_DIR);
  for (const b of opts.readOnlyBinds) {
    const target = b.target ?? b.source;
    checkTarget(target);
    a.push("--ro-bind", b.source, target);
  }
  // The root is bwrap's own tmpfs (memory-backed, unbounded): make it read-only once the mount points exist.
  a.push("--remount-ro", "/dev", "--remount-ro", "/", "--chdir", SANDBOX_WORK_DIR);
  return a;
}

function rlimitArgs(limits: SandboxLimits): string[] {
  const a = [`--nproc=${limits.maxProcesses}`, `--fsize=${limits.maxFileBytes}`, "--core=0"];
  if (limits.memoryBytes > 0) a.push(`--data=${limits.memoryBytes}`);
  return a;
}

async function diskUsage(dir: string): Promise<number> {
  let total = 0;
  const stack = [dir];
  while (stack.length > 0) {
    const d = stack.pop() as string;
    let entries;
    try {
      entries = await readdir(d, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) stack.push(p);
      const st = await lstat(p).catch(() => null);
      if (st) total += st.blocks * 512;
    }
  }
  return total;
}

/** Gives the tree to the sandbox uid. lchown: a symlink left in a reused work dir must not be followed. */
async function chownTree(dir: string, uid: number): Promise<void> {
  await lchown(dir, uid, uid);
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) await chownTree(p, uid);
    else await lchown(p, uid, uid).catch(() => undefined);
  }
}

/** SIGKILLs every process in the pid namespace and waits (up to 5 s) until none is left. */
async function killPidNamespace(ns: string): Promise<void> {
  if (ns === (await readlink("/proc/self/ns/pid").catch(() => null))) return; // never our own
  const deadline = Date.now() + 5000;
  for (;;) {
    const pids = await processesInPidNamespace(ns);
    if (pids.length === 0 || Date.now() > deadline) return;
    for (const pid of pids) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // gone already
      }
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Is bubblewrap usable here? Runs `true` in a minimal sandbox. */
export async function checkSandbox(bwrapPath = DEFAULT_BWRAP_PATH): Promise<{ ok: boolean; message: string }> {
  try {
    await access(bwrapPath, constants.X_OK);
  } catch {
    return { ok: false, message: `bubblewrap not found at ${bwrapPath}` };
  }
  const work = await mkdtemp(path.join(os.tmpdir(), "course-sbx-check-"));
  try {
    const r = await runSandboxed({ command: "/usr/bin/true", workDir: work, bwrapPath, limits: { wallTimeMs: 20_000 } });
    return r.ok ? { ok: true, message: "bubblewrap works" } : { ok: false, message: `bubblewrap failed: ${r.message}` };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * Runs a command in a bubblewrap sandbox (see README "Sandbox"): new user/pid/net/ipc/uts/cgroup namespaces,
 * read-only system, private /work and /tmp, clean environment, rlimits, wall time, output and disk caps.
 * Never rejects because of what the command does; rejects only when the sandbox cannot be set up
 * (SandboxUnavailableError when bwrap is missing in "bwrap" mode).
 */
export async function runSandboxed(opts: SandboxOptions): Promise<SandboxResult> {
  const tmpFiles: string[] = [];
  try {
    return await runSandboxedInner(opts, tmpFiles);
  } finally {
    for (const f of tmpFiles) await rm(f, { recursive: true, force: true });
  }
}

async function runSandboxedInner(opts: SandboxOptions, tmpFiles: string[]): Promise<SandboxResult> {
  const limits: SandboxLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  const mode = opts.mode ?? "bwrap";
  const bwrapPath = opts.bwrapPath ?? DEFAULT_BWRAP_PATH;
  const workDir = path.resolve(opts.workDir);
  const isRoot = process.getuid?.() === 0;
  const uid = opts.sandboxUid ?? DEFAULT_SANDBOX_UID;

  let file: string;
  let argv: string[];
  let cwd: string;
  if (mode === "bwrap") {
    try {
      await access(bwrapPath, constants.X_OK);
    } catch {
      throw new SandboxUnavailableError(
        `bubblewrap not found at ${bwrapPath}: refusing to run untrusted code without a sandbox ` +
          "(install bubblewrap, or pass --unsafe-no-sandbox if you trust the code)",
      );
    }
    const sandboxUid = isRoot ? uid : (process.getuid?.() ?? uid);
    const etcDir = await mkdtemp(path.join(os.tmpdir(), "course-sbx-etc-"));
    tmpFiles.push(etcDir);
    await chmod(etcDir, 0o755); // bwrap opens these as the sandbox uid
    const passwd = path.join(etcDir, "passwd");
    const group = path.join(etcDir, "group");
    await writeFile(passwd, `student:x:${sandboxUid}:${sandboxUid}:student:${SANDBOX_WORK_DIR}:/bin/sh\n`, { mode: 0o644 });
    await writeFile(group, `student:x:${sandboxUid}:\n`, { mode: 0o644 });
    if (isRoot) await chownTree(workDir, uid);
    const env = sandboxEnv(opts, limits, SANDBOX_WORK_DIR);
    const bwrapArgs = buildBwrapArgs({
      workDir,
      readOnlyBinds: opts.readOnlyBinds ?? [],
      env,
      tmpBytes: limits.tmpBytes,
      etcFiles: { passwd, group },
      gpu: opts.gpu ?? false,
    });
    // fd 3: bwrap reports the host pid of the sandbox's pid 1, so we can make sure the namespace is gone.
    const inner = ["prlimit", ...rlimitArgs(limits), "--", bwrapPath, "--json-status-fd", "3", ...bwrapArgs, "--", opts.command, ...(opts.args ?? [])];
    if (isRoot) {
      // Drop root before anything else: the sandbox runs as an unprivileged host uid, so RLIMIT_NPROC
      // counts only its own processes and files it creates outside /work are impossible anyway.
      file = "setpriv";
      argv = ["--reuid", String(uid), "--regid", String(uid), "--clear-groups", "--no-new-privs", ...inner];
    } else {
      file = inner[0] as string;
      argv = inner.slice(1);
    }
    cwd = "/";
  } else {
    const env = sandboxEnv(opts, limits, workDir);
    file = "prlimit";
    argv = [...rlimitArgs(limits), "--", "env", "-i", ...Object.entries(env).map(([k, v]) => `${k}=${v}`), opts.command, ...(opts.args ?? [])];
    cwd = workDir;
  }

  // The job's total memory: a cgroup where we may create one, else the /proc watchdog below.
  let cgroup: JobCgroup | null = null;
  if (limits.memoryBytes > 0) {
    const support = await detectMemoryCgroup(opts.memoryCgroup ?? "auto");
    if (support.ok) {
      try {
        cgroup = await JobCgroup.create(support.parent, limits.memoryBytes);
      } catch (e) {
        console.warn(`course-runner: could not create the job's cgroup (${(e as Error).message}); using the memory watchdog`);
      }
    }
  }
  if (cgroup) {
    // The launcher joins the cgroup itself before it execs, so no process of the job starts outside it.
    argv = ["-c", 'echo $$ > "$0" && exec "$@"', cgroup.procsFile, file, ...argv];
    file = "/bin/sh";
  }
  const memoryEnforcement: MemoryEnforcement = limits.memoryBytes <= 0 ? "none" : cgroup ? "cgroup" : "watchdog";
  try {
    return await superviseChild({ opts, limits, mode, file, argv, cwd, workDir, cgroup, memoryEnforcement });
  } finally {
    await cgroup?.remove();
  }
}

async function superviseChild(ctx: {
  opts: SandboxOptions;
  limits: SandboxLimits;
  mode: SandboxMode;
  file: string;
  argv: string[];
  cwd: string;
  workDir: string;
  cgroup: JobCgroup | null;
  memoryEnforcement: MemoryEnforcement;
}): Promise<SandboxResult> {
  const { opts, limits, mode, file, argv, cwd, workDir, cgroup, memoryEnforcement } = ctx;
  const started = Date.now();
  const child = spawn(file, argv, {
    cwd,
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- needed where apps/web type-checks this file: Next.js types make NODE_ENV required
    env: { PATH: BASE_PATH } as unknown as NodeJS.ProcessEnv, // a clean environment
    stdio: ["ignore", "pipe", "pipe", mode === "bwrap" ? "pipe" : "ignore"],
    detached: true, // own process group, so we can SIGKILL the group
  });

  let limit: LimitReason | null = null;
  let cancelled = false;
  let killed = false;
  let stdoutBytes = 0;
  let stderrBytes = 0;
  let tail = "";
  const kill = () => {
    if (killed) return;
    killed = true;
    if (child.pid !== undefined) {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    }
  };
  const hitLimit = (reason: LimitReason) => {
    if (limit === null && !cancelled) limit = reason;
    kill();
  };

  const pump = (stream: NodeJS.ReadableStream, which: "stdout" | "stderr") => {
    const decoder = new StringDecoder("utf8");
    stream.on("data", (buf: Buffer) => {
      if (killed) return;
      if (which === "stdout") stdoutBytes += buf.length;
      else stderrBytes += buf.length;
      if (stdoutBytes + stderrBytes > limits.maxOutputBytes) {
        hitLimit("output limit");
        return;
      }
      const text = decoder.write(buf);
      tail = (tail + text).slice(-TAIL_BYTES);
      if (which === "stdout") opts.onStdout?.(text);
      else opts.onStderr?.(text);
    });
  };
  pump(child.stdout as NodeJS.ReadableStream, "stdout");
  pump(child.stderr as NodeJS.ReadableStream, "stderr");

  // The sandbox's pid namespace, identified from bwrap's {"child-pid": N} status line.
  let pidNamespace: Promise<string | null> = Promise.resolve(null);
  const statusStream = child.stdio[3];
  if (mode === "bwrap" && statusStream && "on" in statusStream) {
    pidNamespace = new Promise((resolve) => {
      let text = "";
      let found = false;
      const done = (v: string | null) => resolve(v);
      statusStream.on("data", (b: Buffer) => {
        if (found || text.length > 4096) return; // keep draining so the pipe closes
        text += b.toString();
        const m = /"child-pid"\s*:\s*(\d+)/.exec(text);
        if (m) {
          found = true;
          readlink(`/proc/${m[1]}/ns/pid`)
            .then((ns) => done(ns))
            .catch(() => done(null));
        }
      });
      statusStream.on("end", () => done(null));
      statusStream.on("error", () => done(null));
    });
  }

  const timer = setTimeout(() => hitLimit("timeout"), limits.wallTimeMs);
  let peakMemoryBytes: number | null = null;
  let memoryBusy = false;
  const memoryTimer =
    memoryEnforcement === "none"
      ? null
      : setInterval(() => {
          if (memoryBusy || killed) return;
          memoryBusy = true;
          const check = cgroup
            ? cgroup.oomKilled().then((oom) => {
                if (oom) hitLimit("memory limit");
              })
            : Promise.resolve().then(() => {
                const used = totalPrivateMemory(processTree(child.pid ?? -1));
                peakMemoryBytes = Math.max(peakMemoryBytes ?? 0, used);
                if (used > limits.memoryBytes) hitLimit("memory limit");
              });
          void check.catch(() => undefined).finally(() => {
            memoryBusy = false;
          });
        }, MEMORY_POLL_MS);
  let diskBusy = false;
  const diskTimer =
    limits.maxWorkDirBytes > 0
      ? setInterval(() => {
          if (diskBusy) return;
          diskBusy = true;
          void diskUsage(workDir)
            .then((used) => {
              if (used > limits.maxWorkDirBytes) hitLimit("disk limit");
            })
            .finally(() => {
              diskBusy = false;
            });
        }, 1000)
      : null;
  const onAbort = () => {
    if (limit === null) cancelled = true;
    kill();
  };
  if (opts.signal?.aborted) onAbort();
  opts.signal?.addEventListener("abort", onAbort, { once: true });

  const { exitCode, signal, spawnError } = await new Promise<{
    exitCode: number | null;
    signal: NodeJS.Signals | null;
    spawnError: Error | null;
  }>((resolve) => {
    child.once("error", (err) => resolve({ exitCode: null, signal: null, spawnError: err }));
    child.once("exit", (code, sig) => {
      // Give the pipes a moment to drain; do not wait forever if a stray process holds them (unsafe mode).
      const grace = setTimeout(() => resolve({ exitCode: code, signal: sig, spawnError: null }), 2000);
      child.once("close", () => {
        clearTimeout(grace);
        resolve({ exitCode: code, signal: sig, spawnError: null });
      });
    });
  });
  clearTimeout(timer);
  if (diskTimer) clearInterval(diskTimer);
  if (memoryTimer) clearInterval(memoryTimer);
  if (cgroup) {
    // The kernel's OOM killer ended it (oom.group: all of it); the runner never saw an error message.
    if (limit === null && !cancelled && (await cgroup.oomKilled())) limit = "memory limit";
    peakMemoryBytes = await cgroup.peakBytes();
  }
  opts.signal?.removeEventListener("abort", onAbort);
  // bwrap's monitor may exit a moment before the kernel has torn its pid namespace down:
  // kill whatever is left in that namespace and wait until it is empty.
  const ns = await Promise.race([pidNamespace, new Promise<null>((r) => setTimeout(() => r(null), 1000))]);
  if (ns) await killPidNamespace(ns);
  // In unsafe mode at least the process group goes.
  if (child.pid !== undefined) {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  const durationMs = Date.now() - started;

  const base = { exitCode, signal, cancelled, durationMs, stdoutBytes, stderrBytes, outputTail: tail, memoryEnforcement, peakMemoryBytes };
  if (spawnError) {
    return { ...base, ok: false, outcome: "sandbox error", limit: null, message: `could not start the sandbox: ${spawnError.message}` };
  }
  if (cancelled) return { ...base, ok: false, outcome: "killed", limit: null, message: "cancelled" };
  if (limit !== null) {
    const peak = limit === "memory limit" && peakMemoryBytes ? ` (${Math.round(peakMemoryBytes / 2 ** 20)} MiB in use when it was stopped)` : "";
    return { ...base, ok: false, outcome: "killed", limit, message: describeLimit(limit, limits) + peak };
  }
  const firstLine = tail.split("\n", 1)[0] ?? "";
  if (mode === "bwrap" && exitCode !== 0 && /^(bwrap|setpriv|prlimit|\/bin\/sh): /.test(firstLine)) {
    return { ...base, ok: false, outcome: "sandbox error", limit: null, message: `sandbox setup failed: ${firstLine}` };
  }
  const classified = classifyExit(exitCode, tail);
  if (classified) return { ...base, ok: false, outcome: "exited", limit: classified, message: describeLimit(classified, limits) };
  if (exitCode === 0) return { ...base, ok: true, outcome: "exited", limit: null, message: "exited with code 0" };
  const how = exitCode !== null && exitCode > 128 ? `was killed by signal ${exitCode - 128}` : `exited with code ${exitCode ?? signal}`;
  return { ...base, ok: false, outcome: "exited", limit: null, message: `the command ${how}` };
}
