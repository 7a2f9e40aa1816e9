// The fallback for the job's total memory cap where no cgroup can be used: list the job's processes
// from /proc and add up the memory only they hold. Polled by the sandbox's watchdog.
import { readdir, readFile, readlink } from "node:fs/promises";

/**
 * Bytes of memory a process holds privately: RssAnon (heap, Buffers, anonymous mmap, touched pages
 * only) + RssShmem (shared memory it maps). File-backed pages (the node binary, libraries) are left
 * out: they are page cache, shared by every process and reclaimable. Pages shared after fork() are
 * counted in each process, so the sum errs on the strict side. Null when the process is gone.
 */
export async function privateMemoryBytes(pid: number): Promise<number | null> {
  let status: string;
  try {
    status = await readFile(`/proc/${pid}/status`, "utf8");
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

/** `root` and every process below it (by parent pid), as /proc shows them now. */
export async function processTree(root: number): Promise<number[]> {
  const children = new Map<number, number[]>();
  for (const name of await readdir("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, "utf8").catch(() => "");
    if (!stat) continue;
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
export async function totalPrivateMemory(pids: readonly number[]): Promise<number> {
  let total = 0;
  for (const pid of pids) total += (await privateMemoryBytes(pid)) ?? 0;
  return total;
}
