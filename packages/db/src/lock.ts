import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holderPid: number,
    readonly lockPath: string,
  ) {
    super(
      `The embedded database at ${dataDir} is already open in process ${holderPid}. ` +
        `PGlite allows one process per data directory (a second one would silently lose writes). ` +
        `Stop that process first (is \`npm start\` running?), or set DATABASE_URL to use a PostgreSQL server. ` +
        `If no such process exists, delete ${lockPath}.`,
    );
    this.name = "DataDirLockedError";
  }
}

interface LockFile {
  pid: number;
  host: string;
  startedAt: string;
  command: string;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readLock(lockPath: string): LockFile | undefined {
  try {
    return JSON.parse(fs.readFileSync(lockPath, "utf8")) as LockFile;
  } catch {
    return undefined;
  }
}

/**
 * Takes an exclusive, process-wide lock on a PGlite data directory. Returns a release function; the lock is
 * also released when the process exits. A lock left by a dead process (or another host) is taken over.
 */
export function lockDataDir(dataDir: string): () => void {
  const lockPath = `${dataDir.replace(/[\\/]+$/, "")}.lock`;
  fs.mkdirSync(path.dirname(lockPath), { recursive: true });
  const mine: LockFile = {
    pid: process.pid,
    host: os.hostname(),
    startedAt: new Date().toISOString(),
    command: process.argv.slice(1).join(" ").slice(0, 300),
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(lockPath, JSON.stringify(mine), { flag: "wx", mode: 0o600 });
      const release = () => {
        if (readLock(lockPath)?.pid === process.pid) fs.rmSync(lockPath, { force: true });
        process.off("exit", release);
      };
      process.on("exit", release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = readLock(lockPath);
      const stale = !holder || holder.host !== os.hostname() || !isAlive(holder.pid);
      if (holder && !stale) throw new DataDirLockedError(dataDir, holder.pid, lockPath);
      fs.rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`Could not take the lock ${lockPath}: it keeps reappearing`);
}
