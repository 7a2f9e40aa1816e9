import { existsSync, lstatSync, readdirSync, readFileSync, statSync } from "node:fs";
import { chmod, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classifyExit, DEFAULT_LIMITS } from "../src/sandbox/limits";
import { buildBwrapArgs, checkSandbox, runSandboxed, sandboxEnv, SandboxUnavailableError } from "../src/sandbox/sandbox";

const hasBwrap = existsSync("/usr/bin/bwrap");
let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "course-sbx-"));
  await chmod(tmp, 0o755);
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe("sandbox configuration", () => {
  it("builds the environment from an allow-list only", () => {
    process.env.RUNNER_TOKEN_FOR_TEST = "do-not-leak";
    const env = sandboxEnv({ env: { EXTRA: "1" }, extraPath: ["/opt/course/node_modules/.bin"] }, DEFAULT_LIMITS, "/work");
    delete process.env.RUNNER_TOKEN_FOR_TEST;
    expect(Object.keys(env).sort()).toEqual(["EXTRA", "HOME", "LANG", "LC_ALL", "NODE_OPTIONS", "PATH", "TMPDIR", "USER"]);
    expect(env.PATH?.startsWith("/opt/course/node_modules/.bin:")).toBe(true);
    expect(env.NODE_OPTIONS).toBe(`--max-old-space-size=${DEFAULT_LIMITS.nodeHeapMb}`);
    expect(() => sandboxEnv({ env: { "BAD NAME": "x" } }, DEFAULT_LIMITS, "/work")).toThrow(/invalid variable name/);
  });

  it("uses every namespace, a read-only root and refuses binds over reserved paths", () => {
    const args = buildBwrapArgs({
      workDir: "/jobs/1",
      readOnlyBinds: [{ source: "/bench/test", target: "/data/test" }],
      env: { HOME: "/work" },
      tmpBytes: 1000,
      etcFiles: { passwd: "/x/passwd", group: "/x/group" },
      gpu: false,
    });
    const joined = args.join(" ");
    for (const flag of ["--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent", "--new-session", "--clearenv"]) {
      expect(args).toContain(flag);
    }
    expect(joined).toContain("--ro-bind /usr /usr");
    expect(joined).toContain("--bind /jobs/1 /work");
    expect(joined).toContain("--ro-bind /bench/test /data/test");
    expect(joined).toContain("--size 1000 --tmpfs /tmp");
    expect(joined).toContain("--remount-ro / --chdir /work");
    expect(joined).not.toMatch(/--(ro-)?bind \/etc \/etc/);
    const bad = (target: string) => () =>
      buildBwrapArgs({
        workDir: "/j",
        readOnlyBinds: [{ source: "/x", target }],
        env: {},
        tmpBytes: 1,
        etcFiles: { passwd: "/p", group: "/g" },
        gpu: false,
      });
    expect(bad("/work/data")).toThrow(/collides with \/work/);
    expect(bad("/etc")).toThrow(/collides/);
    expect(bad("relative")).toThrow(/absolute/);
  });

  it("classifies exits by the limit that caused them", () => {
    expect(classifyExit(0, "JavaScript heap out of memory")).toBeNull();
    expect(classifyExit(134, "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory")).toBe("memory limit");
    expect(classifyExit(1, "RangeError: Array buffer allocation failed")).toBe("memory limit");
    expect(classifyExit(1, "Error: EFBIG: file too large, write")).toBe("file size limit");
    expect(classifyExit(153, "")).toBe("file size limit");
    expect(classifyExit(3, "spawn failed: spawn /usr/bin/node EAGAIN")).toBe("process limit");
    expect(classifyExit(1, "Error: some student bug")).toBeNull();
  });
});

describe("refusing to run without a sandbox", () => {
  it("rejects when bubblewrap is missing, unless told it is unsafe", async () => {
    const work = await mkdtemp(path.join(tmp, "w-"));
    await expect(runSandboxed({ command: "true", workDir: work, bwrapPath: "/nonexistent/bwrap" })).rejects.toThrow(SandboxUnavailableError);
    await expect(runSandboxed({ command: "true", workDir: work, bwrapPath: "/nonexistent/bwrap" })).rejects.toThrow(/--unsafe-no-sandbox/);
    expect((await checkSandbox("/nonexistent/bwrap")).ok).toBe(false);

    process.env.RUNNER_TOKEN_FOR_TEST = "do-not-leak";
    let out = "";
    const r = await runSandboxed({
      command: "node",
      args: ["-e", "require('fs').writeFileSync('x.txt', JSON.stringify(process.env)); console.log(process.cwd())"],
      workDir: work,
      mode: "unsafe-no-sandbox",
      bwrapPath: "/nonexistent/bwrap",
      onStdout: (s) => (out += s),
    });
    delete process.env.RUNNER_TOKEN_FOR_TEST;
    expect(r.ok, r.message).toBe(true);
    expect(out.trim()).toBe(work);
    // Even unsandboxed, the environment is the allow-list.
    const env = JSON.parse(readFileSync(path.join(work, "x.txt"), "utf8")) as Record<string, string>;
    expect(env.HOME).toBe(work);
    expect(env.RUNNER_TOKEN_FOR_TEST).toBeUndefined();
  });

  it("applies the wall-time limit in unsafe mode too", async () => {
    const work = await mkdtemp(path.join(tmp, "w-"));
    const r = await runSandboxed({ command: "sleep", args: ["30"], workDir: work, mode: "unsafe-no-sandbox", limits: { wallTimeMs: 500 } });
    expect(r.limit).toBe("timeout");
    expect(r.durationMs).toBeLessThan(5000);
  });
});

describe.skipIf(!hasBwrap)("bubblewrap sandbox basics", () => {
  it("checkSandbox says bubblewrap works here", async () => {
    expect(await checkSandbox()).toEqual({ ok: true, message: "bubblewrap works" });
  });

  it("runs unprivileged in its own namespaces with /work as cwd and HOME", async () => {
    const work = await mkdtemp(path.join(tmp, "w-"));
    let out = "";
    const r = await runSandboxed({
      command: "sh",
      args: ["-c", 'id -u; echo "$HOME"; pwd; hostname; cat /proc/self/uid_map | wc -l; ls /sys 2>&1 | head -1; echo hi > note.txt'],
      workDir: work,
      onStdout: (s) => (out += s),
    });
    expect(r.ok, r.message + r.outputTail).toBe(true);
    const lines = out.trim().split("\n");
    if (process.getuid?.() === 0) expect(lines[0]).toBe("64000");
    expect(lines.slice(1, 5)).toEqual(["/work", "/work", "sandbox", "1"]);
    expect(readFileSync(path.join(work, "note.txt"), "utf8")).toBe("hi\n");
  });

  it("lets WebAssembly (tsx, ML runtimes) work under the default memory limit", async () => {
    // Regression: an RLIMIT_AS cap made V8's ~10 GB wasm reservation fail ("Cannot allocate Wasm memory").
    const work = await mkdtemp(path.join(tmp, "w-"));
    let out = "";
    const wasm = "[0,97,115,109,1,0,0,0,5,3,1,0,1]"; // a module with one memory
    const r = await runSandboxed({
      command: "node",
      args: ["-e", `WebAssembly.instantiate(new Uint8Array(${wasm})).then(() => console.log("wasm ok"))`],
      workDir: work,
      limits: { memoryBytes: DEFAULT_LIMITS.memoryBytes },
      onStdout: (s) => (out += s),
    });
    expect(r.ok, r.outputTail).toBe(true);
    expect(out).toBe("wasm ok\n");
  });

  it.skipIf(process.getuid?.() !== 0)("does not follow symlinks when handing a reused work dir to the sandbox uid", async () => {
    const work = await mkdtemp(path.join(tmp, "w-"));
    const victim = path.join(tmp, "root-owned.txt");
    await writeFile(victim, "x");
    await symlink(victim, path.join(work, "link"));
    const r = await runSandboxed({ command: "true", workDir: work });
    expect(r.ok, r.message).toBe(true);
    expect(statSync(victim).uid).toBe(0);
    expect(lstatSync(path.join(work, "link")).uid).toBe(64000);
  });

  it("cleans up its temporary files even when setup fails", async () => {
    const work = await mkdtemp(path.join(tmp, "w-"));
    const leftovers = () => readdirSync(os.tmpdir()).filter((f) => f.startsWith("course-sbx-etc-")).length;
    const before = leftovers();
    await expect(runSandboxed({ command: "true", workDir: work, env: { "NOT VALID": "x" } })).rejects.toThrow(/invalid variable name/);
    await runSandboxed({ command: "true", workDir: work });
    expect(leftovers()).toBe(before);
  });

  it("can be cancelled with an AbortSignal", async () => {
    const work = await mkdtemp(path.join(tmp, "w-"));
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 300);
    const r = await runSandboxed({ command: "sleep", args: ["30"], workDir: work, signal: ac.signal });
    expect(r.cancelled).toBe(true);
    expect(r.ok).toBe(false);
    expect(r.durationMs).toBeLessThan(5000);
  });
});
