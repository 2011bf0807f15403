import { existsSync, readFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * A process killed with SIGKILL leaves its PostgreSQL running (orphaned) or its postmaster.pid
 * behind. An orphan (its parent gone) is shut down; a lock whose process is gone is removed; a
 * server whose parent is still alive belongs to another running instance and is left alone.
 */
export async function clearStaleLock(clusterDir: string, log: { warn(message: string): void }): Promise<void> {
  const lockFile = join(clusterDir, 'postmaster.pid');
  if (!existsSync(lockFile)) return;
  const pid = Number((await readFile(lockFile, 'utf8')).split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isPostgresProcess(pid)) {
    log.warn(`Removing a stale ${lockFile} left by a server that is no longer running`);
    await rm(lockFile, { force: true });
    return;
  }
  const parentPid = readParentPid(pid);
  if (parentPid !== undefined && parentPid !== 1 && isNodeProcess(parentPid)) {
    throw new Error(`The embedded PostgreSQL in ${clusterDir} is in use by another running process (pid ${parentPid}). Stop it, or set DATA_DIR to another directory.`);
  }
  log.warn(`Shutting down an orphaned embedded PostgreSQL (pid ${pid}) left by a killed process`);
  process.kill(pid, 'SIGINT');
  for (let waited = 0; waited < 15_000 && isProcessAlive(pid); waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (isProcessAlive(pid)) throw new Error(`The orphaned PostgreSQL (pid ${pid}) did not stop; stop it by hand and start again.`);
  await rm(lockFile, { force: true });
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readProc(pid: number, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined;
  }
}

function isPostgresProcess(pid: number): boolean {
  return isProcessAlive(pid) && (readProc(pid, 'cmdline') ?? '').includes('postgres');
}

function isNodeProcess(pid: number): boolean {
  return (readProc(pid, 'cmdline') ?? '').includes('node');
}

function readParentPid(pid: number): number | undefined {
  const stat = readProc(pid, 'stat');
  // Field 4 of /proc/<pid>/stat, after the parenthesised command name (which may contain spaces).
  const ppid = stat?.slice(stat.lastIndexOf(')') + 2).split(' ')[1];
  return ppid === undefined ? undefined : Number(ppid);
}
