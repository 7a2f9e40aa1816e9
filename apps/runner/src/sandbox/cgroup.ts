// cgroup v2 memory caps for whole jobs: every process of a job (however many it forks) is charged to one
// cgroup with `memory.max`; the kernel reclaims and then OOM-kills inside it (`memory.oom.group=1`:
// the whole job at once), and `memory.events` tells us it happened.
//
// Used only where this runner may create cgroups with the memory controller: a delegated cgroup given
// by the operator (--memory-cgroup <dir>) or, in "auto", the runner's own cgroup when the runner is the
// only process in it (a systemd service with Delegate=yes, a container running only the runner). There
// the runner moves itself into a leaf `<own>/runner` (a cgroup with controllers for its children must
// hold no processes) and creates `<own>/job-*` beside it. Anywhere else (cgroup v1 or hybrid hosts,
// no delegation, read-only /sys/fs/cgroup) the sandbox falls back to its /proc watchdog.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, rmdir, writeFile } from "node:fs/promises";
import path from "node:path";

/** "auto" (detect), "off" (never use cgroups), or the path of a delegated cgroup v2 directory. */
export type MemoryCgroupSetting = string;

export type CgroupSupport = { ok: true; parent: string; how: string } | { ok: false; why: string };

/** Mount point (and mount root) of the cgroup2 file system, from /proc/self/mountinfo text. */
export function findCgroup2Mount(mountinfo: string): { mountPoint: string; root: string } | null {
  for (const line of mountinfo.split("\n")) {
    const [left, right] = line.split(" - ");
    if (!left || !right) continue;
    if (right.split(" ")[0] !== "cgroup2") continue;
    const f = left.split(" ");
    const root = f[3];
    const mountPoint = f[4];
    if (root && mountPoint) return { mountPoint: mountPoint.replace(/\\040/g, " "), root };
  }
  return null;
}

/** The unified-hierarchy path of this process ("0::/path" in /proc/self/cgroup), or null. */
export function ownCgroup2Path(procSelfCgroup: string): string | null {
  const line = procSelfCgroup.split("\n").find((l) => l.startsWith("0::"));
  return line ? line.slice(3) : null;
}

async function readText(file: string): Promise<string | null> {
  return readFile(file, "utf8").catch(() => null);
}

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

async function enableMemory(dir: string): Promise<void> {
  const control = (await readText(path.join(dir, "cgroup.subtree_control"))) ?? "";
  if (!control.split(/\s+/).includes("memory")) await writeFile(path.join(dir, "cgroup.subtree_control"), "+memory");
}

async function checkParent(dir: string, how: string): Promise<CgroupSupport> {
  const controllers = await readText(path.join(dir, "cgroup.controllers"));
  if (controllers === null) return { ok: false, why: `${dir} is not a cgroup v2 directory` };
  if (!controllers.split(/\s+/).includes("memory")) {
    return { ok: false, why: `the memory controller is not available in ${dir} (cgroup.controllers: "${controllers.trim()}")` };
  }
  try {
    await enableMemory(dir);
    // Prove it: create and remove a child with memory.max.
    const probe = path.join(dir, `probe-${process.pid}-${randomBytes(3).toString("hex")}`);
    await mkdir(probe);
    try {
      if (!existsSync(path.join(probe, "memory.max"))) return { ok: false, why: `${dir}: children get no memory.max` };
      await writeFile(path.join(probe, "memory.max"), "max");
    } finally {
      await rmdir(probe).catch(() => undefined);
    }
  } catch (e) {
    return { ok: false, why: `cannot create memory-limited cgroups under ${dir}: ${errText(e)}` };
  }
  return { ok: true, parent: dir, how };
}

/** The runner's own cgroup, usable only when nothing but the runner lives in it (see the file comment). */
async function detectOwn(): Promise<CgroupSupport> {
  const mount = findCgroup2Mount((await readText("/proc/self/mountinfo")) ?? "");
  if (!mount) return { ok: false, why: "no cgroup v2 file system is mounted (cgroup v1 host?)" };
  const own = ownCgroup2Path((await readText("/proc/self/cgroup")) ?? "");
  if (own === null) return { ok: false, why: "this process is in no cgroup v2 (cgroup v1 host?)" };
  const rel = mount.root !== "/" && own.startsWith(mount.root) ? own.slice(mount.root.length) : own;
  const dir = path.join(mount.mountPoint, rel).replace(/(.)\/+$/, "$1");
  const controllers = await readText(path.join(dir, "cgroup.controllers"));
  if (controllers === null) return { ok: false, why: `cannot read ${dir}/cgroup.controllers` };
  if (!controllers.split(/\s+/).includes("memory")) {
    return { ok: false, why: `the memory controller is not delegated to ${dir} (cgroup.controllers: "${controllers.trim()}"; hybrid cgroup v1 host?)` };
  }
  const procs = ((await readText(path.join(dir, "cgroup.procs"))) ?? "").split("\n").filter(Boolean).map(Number);
  if (path.basename(dir) === "runner" && procs.includes(process.pid)) {
    // Set up by an earlier call in this process (or a previous runner on purpose): use the parent.
    return checkParent(path.dirname(dir), `cgroup v2 under ${path.dirname(dir)} (the runner sits in its leaf "runner")`);
  }
  const others = procs.filter((p) => p !== process.pid);
  if (others.length > 0) {
    return {
      ok: false,
      why: `the runner's cgroup ${dir} also holds ${others.length} other process(es); run the runner alone in a delegated cgroup (systemd: Delegate=yes) or pass --memory-cgroup <dir>`,
    };
  }
  const leaf = path.join(dir, "runner");
  try {
    await mkdir(leaf).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== "EEXIST") throw e;
    });
    await writeFile(path.join(leaf, "cgroup.procs"), String(process.pid));
  } catch (e) {
    return { ok: false, why: `cannot move the runner into ${leaf}: ${errText(e)}` };
  }
  const support = await checkParent(dir, `cgroup v2 under ${dir} (the runner moved itself into ${leaf})`);
  if (!support.ok) {
    // Put ourselves back where we were found.
    await writeFile(path.join(dir, "cgroup.procs"), String(process.pid)).catch(() => undefined);
    await rmdir(leaf).catch(() => undefined);
  }
  return support;
}

const detected = new Map<string, Promise<CgroupSupport>>();

/** Whether (and where) jobs get a cgroup v2 memory cap; detected once per setting and process. */
export function detectMemoryCgroup(setting: MemoryCgroupSetting): Promise<CgroupSupport> {
  let p = detected.get(setting);
  if (!p) {
    p =
      setting === "off"
        ? Promise.resolve({ ok: false, why: "cgroups turned off (--memory-cgroup off)" })
        : setting === "auto"
          ? detectOwn()
          : checkParent(path.resolve(setting), `cgroup v2 under ${path.resolve(setting)} (--memory-cgroup)`);
    detected.set(setting, p);
  }
  return p;
}

/** One job's cgroup. */
export class JobCgroup {
  private constructor(readonly dir: string) {}

  static async create(parent: string, memoryBytes: number): Promise<JobCgroup> {
    const dir = path.join(parent, `job-${process.pid}-${randomBytes(4).toString("hex")}`);
    await mkdir(dir);
    const cg = new JobCgroup(dir);
    try {
      await writeFile(path.join(dir, "memory.max"), String(memoryBytes));
      // No swapping around the cap, and an OOM kill takes the whole job, not one of its processes.
      await writeFile(path.join(dir, "memory.swap.max"), "0").catch(() => undefined);
      await writeFile(path.join(dir, "memory.oom.group"), "1").catch(() => undefined);
    } catch (e) {
      await cg.remove();
      throw e;
    }
    return cg;
  }

  /** Where a process writes its own pid to join (the sandbox's launcher does, before it execs). */
  get procsFile(): string {
    return path.join(this.dir, "cgroup.procs");
  }

  /** Did the kernel OOM-kill anything in the job because of memory.max? */
  async oomKilled(): Promise<boolean> {
    const events = (await readText(path.join(this.dir, "memory.events"))) ?? "";
    return /^(oom_kill|oom_group_kill) [1-9]/m.test(events);
  }

  /** Highest memory use seen (memory.peak, kernel >= 5.19), or null. */
  async peakBytes(): Promise<number | null> {
    const t = await readText(path.join(this.dir, "memory.peak"));
    return t === null ? null : Number(t.trim());
  }

  /** Kills every process in the job and removes the cgroup (waits up to 5 s for it to empty). */
  async remove(): Promise<void> {
    const deadline = Date.now() + 5000;
    for (;;) {
      const procs = ((await readText(this.procsFile)) ?? "").split("\n").filter(Boolean).map(Number);
      if (procs.length === 0) break;
      if (Date.now() > deadline) return;
      if (existsSync(path.join(this.dir, "cgroup.kill"))) await writeFile(path.join(this.dir, "cgroup.kill"), "1").catch(() => undefined);
      else {
        for (const pid of procs) {
          try {
            process.kill(pid, "SIGKILL");
          } catch {
            // gone
          }
        }
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    for (let i = 0; i < 50; i++) {
      try {
        await rmdir(this.dir);
        return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") return;
        await new Promise((r) => setTimeout(r, 20)); // EBUSY until the last task is reaped
      }
    }
  }
}
