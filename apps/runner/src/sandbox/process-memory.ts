// The fallback for the job's total memory cap where no cgroup can be used: list the job's processes
// from /proc and add up the memory only they hold. Polled by the sandbox's watchdog.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { readdir, readFile, readlink } from "node:fs/promises";

/**
 * Bytes of memory a process holds privately: RssAnon (heap, Buffers, anonymous mmap, touched pages
 * only) + RssShmem (shared memory it maps). File-backed pages (the node binary, libraries) are left
 * out: they are page cache, shared by every process and reclaimable. Pages shared after fork() are
 * counted in each process, so the sum errs on the strict side. Null when the process is gone.
 */
export function privateMemoryBytes(pid: number): number | null {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, "utf8");
  } catch {
    return null;
  }
  let kb = 0;
  for (const m of status.matchAll(/^(RssAnon|RssShmem):\s+(\d+) kB$/gm)) kb += Number(m[2]);
  return kb * 1024;
}

function stateOf(stat: string): string {
  const close = stat.lastIndexOf(")");
  return stat.slice(close + 2, close + 3);
}

/** Live (not zombie) processes whose pid namespace is `ns` (a readlink of /proc/<pid>/ns/pid). */
export async function processesInPidNamespace(ns: string): Promise<number[]> {
  const pids: number[] = [];
  for (const name of await readdir("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const link = await readlink(`/proc/${name}/ns/pid`).catch(() => null);
    if (link !== ns) continue;
    // Zombies (state Z, after the last ')' of /proc/pid/stat) hold nothing; they wait for a reaper.
    const state = stateOf(await readFile(`/proc/${name}/stat`, "utf8").catch(() => ""));
    if (state !== "Z" && state !== "X" && state !== "") pids.push(Number(name));
  }
  return pids;
}

const HAS_CHILDREN_FILES = existsSync(`/proc/self/task/${process.pid}/children`);

/**
 * `root` and every process below it, as /proc shows them now. Sync on purpose: a few dozen tiny reads
 * take about a millisecond, while the async versions queue on libuv's thread pool and took ~0.4 s
 * per sample on a loaded machine. Walks /proc/<pid>/task/<tid>/children (only the job's own
 * processes) where the kernel has it, else scans every process's parent pid.
 */
export function processTree(root: number): number[] {
  if (!HAS_CHILDREN_FILES) return processTreeByScan(root);
  const out: number[] = [];
  const seen = new Set<number>();
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop() as number;
    if (seen.has(pid)) continue;
    seen.add(pid);
    out.push(pid);
    let tids: string[];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue; // gone
    }
    for (const tid of tids) {
      try {
        for (const c of readFileSync(`/proc/${pid}/task/${tid}/children`, "utf8").split(" ")) if (c.trim()) stack.push(Number(c));
      } catch {
        // thread gone
      }
    }
  }
  return out;
}

function processTreeByScan(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, "utf8");
    } catch {
      continue;
    }
    // Fields after the command name: state ppid ...
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    const list = children.get(ppid) ?? [];
    list.push(Number(name));
    children.set(ppid, list);
  }
  const out: number[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop() as number;
    out.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** Sum of privateMemoryBytes over the given processes (those gone meanwhile count 0). */
export function totalPrivateMemory(pids: readonly number[]): number {
  let total = 0;
  for (const pid of pids) total += privateMemoryBytes(pid) ?? 0;
  return total;
}
