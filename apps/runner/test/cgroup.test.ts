/**
 * cgroup v2 detection for the job memory cap. The kernel side (memory.max, OOM kills) is exercised by
 * test/hostile.test.ts wherever this machine lets the runner create cgroups; here: parsing, the reasons
 * given for falling back, and the bookkeeping on a directory laid out like a cgroup.
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { detectMemoryCgroup, findCgroup2Mount, JobCgroup, ownCgroup2Path } from "../src/sandbox/cgroup";

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "course-cgroup-"));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe("cgroup v2 detection", () => {
  it("finds the cgroup2 mount and this process's unified path", () => {
    const mountinfo = [
      "24 30 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw",
      "35 25 0:30 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory",
      "36 25 0:31 / /sys/fs/cgroup/unified rw,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate",
    ].join("\n");
    expect(findCgroup2Mount(mountinfo)).toEqual({ mountPoint: "/sys/fs/cgroup/unified", root: "/" });
    expect(findCgroup2Mount("35 25 0:30 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory")).toBeNull();
    expect(ownCgroup2Path("4:memory:/process_api/x\n0::/system.slice/course-runner.service\n")).toBe("/system.slice/course-runner.service");
    expect(ownCgroup2Path("4:memory:/x\n")).toBeNull();
  });

  it("says why it falls back to the watchdog", async () => {
    expect(await detectMemoryCgroup("off")).toEqual({ ok: false, why: "cgroups turned off (--memory-cgroup off)" });
    const notCgroup = path.join(tmp, "plain");
    await mkdir(notCgroup);
    expect(await detectMemoryCgroup(notCgroup)).toEqual({ ok: false, why: `${notCgroup} is not a cgroup v2 directory` });
    const noMemory = path.join(tmp, "no-memory");
    await mkdir(noMemory);
    await writeFile(path.join(noMemory, "cgroup.controllers"), "cpu io pids\n");
    const r = await detectMemoryCgroup(noMemory);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.why).toContain(`the memory controller is not available in ${noMemory}`);
    // Whatever this machine is, "auto" gives an answer with a reason, never an exception.
    const auto = await detectMemoryCgroup("auto");
    if (auto.ok) expect(existsSync(path.join(auto.parent, "cgroup.subtree_control"))).toBe(true);
    else expect(auto.why.length).toBeGreaterThan(10);
  });

  it("creates a job cgroup with the cap, reads OOM kills from memory.events and removes it", async () => {
    // A plain directory stands in for cgroupfs (which creates these files by itself).
    const parent = path.join(tmp, "parent");
    await mkdir(parent);
    const cg = await JobCgroup.create(parent, 1234 * 2 ** 20);
    expect(await readFile(path.join(cg.dir, "memory.max"), "utf8")).toBe(String(1234 * 2 ** 20));
    expect(await readFile(path.join(cg.dir, "memory.oom.group"), "utf8")).toBe("1");
    expect(await readFile(path.join(cg.dir, "memory.swap.max"), "utf8")).toBe("0");
    expect(cg.procsFile).toBe(path.join(cg.dir, "cgroup.procs"));
    await writeFile(path.join(cg.dir, "memory.events"), "low 0\nhigh 0\nmax 12\noom 1\noom_kill 0\noom_group_kill 0\n");
    expect(await cg.oomKilled()).toBe(false);
    await writeFile(path.join(cg.dir, "memory.events"), "low 0\nhigh 0\nmax 40\noom 2\noom_kill 3\noom_group_kill 1\n");
    expect(await cg.oomKilled()).toBe(true);
    await writeFile(path.join(cg.dir, "memory.peak"), "2147483648\n");
    expect(await cg.peakBytes()).toBe(2 ** 31);
    // cgroupfs removes its files with the directory; a plain directory needs them gone first.
    for (const f of ["memory.max", "memory.oom.group", "memory.swap.max", "memory.events", "memory.peak"]) await rm(path.join(cg.dir, f));
    await cg.remove();
    expect(existsSync(cg.dir)).toBe(false);
  });
});
