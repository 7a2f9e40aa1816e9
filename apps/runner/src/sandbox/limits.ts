import type { FailureReason } from "../protocol";

export interface SandboxLimits {
  /** Wall clock for the whole command; the sandbox is SIGKILLed when it is exceeded. */
  wallTimeMs: number;
  /**
   * Memory of the whole job, all its processes together; 0 = no limit. Enforced by a cgroup v2
   * `memory.max` where one can be delegated, else by a watchdog that sums the private memory of the
   * job's processes from /proc every 200 ms (see sandbox.ts). Also RLIMIT_DATA per process (private
   * writable memory: heap, ArrayBuffers, mmap'd data), so one process fails its allocation cleanly
   * before the watchdog's kill. Not RLIMIT_AS: V8 reserves ~10 GB of address space per WebAssembly
   * memory (tsx needs one) and CUDA reserves even more, so an address-space cap breaks them long
   * before real memory runs out.
   */
  memoryBytes: number;
  /** V8 old-space cap passed through NODE_OPTIONS=--max-old-space-size; null = leave unset. */
  nodeHeapMb: number | null;
  /** RLIMIT_NPROC for the sandbox uid: processes AND threads (Node itself uses ~10 threads). */
  maxProcesses: number;
  /** RLIMIT_FSIZE: largest file any sandboxed process may write. */
  maxFileBytes: number;
  /** stdout + stderr bytes; the sandbox is killed when more arrive. */
  maxOutputBytes: number;
  /** Disk used in the work directory, polled every second; 0 = no limit. */
  maxWorkDirBytes: number;
  /** Size of the private tmpfs mounted on /tmp (memory-backed). */
  tmpBytes: number;
}

const MiB = 1024 * 1024;

export const DEFAULT_LIMITS: SandboxLimits = {
  wallTimeMs: 30 * 60 * 1000,
  // One job at a time per runner on a 2-core, 24 GiB machine: 4 GiB leaves room for a few runners,
  // the web app and the database. The heap cap sits below it so V8 fails with its own clear error.
  memoryBytes: 4096 * MiB,
  nodeHeapMb: 3072,
  maxProcesses: 512,
  maxFileBytes: 512 * MiB,
  maxOutputBytes: 16 * MiB,
  maxWorkDirBytes: 1024 * MiB,
  tmpBytes: 512 * MiB,
};

export type LimitReason = Extract<
  FailureReason,
  "timeout" | "memory limit" | "output limit" | "file size limit" | "process limit" | "disk limit"
>;

const MEMORY = /out of memory|Reached heap limit|Array buffer allocation failed|Cannot allocate memory|\bENOMEM\b|std::bad_alloc|\bMemoryError\b|WebAssembly\.Memory\(\): could not allocate/i;
const FILE_SIZE = /\bEFBIG\b|File too large|File size limit exceeded/i;
const PROCESSES = /\bspawn\b[^\n]*\bEAGAIN\b|fork: (?:retry: )?Resource temporarily unavailable|uv_thread_create|pthread_create[^\n]*(?:EAGAIN|Resource temporarily unavailable)|Cannot create (?:a )?thread/i;

const SIGXFSZ = 25;

/**
 * Names the limit that most likely ended a process that exited on its own with a failure.
 * The limits are kernel rlimits, so the process sees an error (ENOMEM, EFBIG, EAGAIN) and usually dies
 * printing it; we read that from the tail of its output.
 */
export function classifyExit(exitCode: number | null, outputTail: string): LimitReason | null {
  if (exitCode === 0) return null;
  if (exitCode === 128 + SIGXFSZ) return "file size limit";
  if (MEMORY.test(outputTail)) return "memory limit";
  if (FILE_SIZE.test(outputTail)) return "file size limit";
  if (PROCESSES.test(outputTail)) return "process limit";
  return null;
}

export function describeLimit(reason: LimitReason, limits: SandboxLimits): string {
  const mb = (b: number) => `${Math.round(b / MiB)} MiB`;
  switch (reason) {
    case "timeout":
      return `the job ran longer than ${Math.round(limits.wallTimeMs / 1000)} s and was killed`;
    case "memory limit":
      return `the job ran out of memory (limit: ${limits.memoryBytes ? mb(limits.memoryBytes) + " for all its processes together" : "none"}${
        limits.nodeHeapMb ? `, ${limits.nodeHeapMb} MiB JavaScript heap` : ""
      })`;
    case "output limit":
      return `the job printed more than ${mb(limits.maxOutputBytes)} and was killed`;
    case "file size limit":
      return `the job tried to write a file larger than ${mb(limits.maxFileBytes)}`;
    case "process limit":
      return `the job tried to start more than ${limits.maxProcesses} processes/threads`;
    case "disk limit":
      return `the job wrote more than ${mb(limits.maxWorkDirBytes)} into its work directory and was killed`;
  }
}
